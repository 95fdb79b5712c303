package io.faceroster.importing;

import io.faceroster.Sha256;
import io.faceroster.employee.Employee;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An uploaded import archive, checked whole before anything of it is stored: a ZIP of {@code <employeeId>/<photo>}
 * entries and optionally {@code employees.csv} at the top. Every entry is inflated once while checking (its bytes
 * counted as they come, never taken from headers), so ZIP bombs stop at the configured limits; unsafe paths,
 * symbolic links, nested archives, names that are not UTF-8 and a bad CSV refuse the archive. macOS metadata
 * ({@code __MACOSX/}) and hidden files are skipped.
 */
final class ImportArchive {

    /** A photo of the archive: whose, its file name, its entry, and the SHA-256 of its bytes (null: too large). */
    record Photo(String employeeId, String file, String entry, long bytes, String contentHash) {
    }

    /** What a checked archive holds: photos by employee (sorted by id, photos in entry order) and the CSV rows. */
    record Contents(Map<String, List<Photo>> photos, Map<String, EmployeesCsv.Row> employees, int entries,
                    long inflatedBytes) {
        int photoCount() {
            return photos.values().stream().mapToInt(List::size).sum();
        }
    }

    private static final Set<String> ARCHIVE_SUFFIXES = Set.of("zip", "jar", "tar", "gz", "tgz", "bz2", "xz", "7z",
            "rar", "zst", "war");
    private static final int MAX_CSV_BYTES = 16 * 1024 * 1024;

    private ImportArchive() {
    }

    static Contents check(Path file, ImportProperties limits) throws IOException {
        long records;
        try {
            records = CentralDirectory.count(file, limits.maxEntries());
        } catch (IOException e) {
            throw new ArchiveRejected("archive_unreadable", "the upload is not a readable ZIP archive ("
                    + e.getMessage() + "); nothing was stored");
        }
        if (records > limits.maxEntries()) {
            throw tooManyEntries(limits);
        }
        try (ZipFile zip = open(file)) {
            Map<String, List<Photo>> photos = new TreeMap<>();
            Map<String, EmployeesCsv.Row> csv = Map.of();
            Set<String> names = new HashSet<>();
            int entries = 0;
            long inflated = 0;
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (++entries > limits.maxEntries()) {
                    throw tooManyEntries(limits);
                }
                String name = checkedName(e);
                if (!names.add(name)) {
                    throw ArchiveRejected.at("archive_layout", name, "the archive holds this entry twice");
                }
                if (e.isUnixSymlink()) {
                    throw ArchiveRejected.at("archive_symlink", name, "symbolic links are not accepted");
                }
                String[] parts = name.split("/");
                if (e.isDirectory() || ignored(parts)) {
                    continue;
                }
                boolean isCsv = parts.length == 1 && name.equals(EmployeesCsv.FILE);
                if (!isCsv && parts.length != 2) {
                    throw ArchiveRejected.at("archive_layout", name, "expected <employeeId>/<photo> or "
                            + EmployeesCsv.FILE + " at the top");
                }
                if (!isCsv && !parts[0].matches(Employee.ID_PATTERN)) {
                    throw new ArchiveRejected("employee_id_invalid", "entry '" + name + "': folder '" + parts[0]
                            + "' is not a valid employee id (1-64 letters, digits, '.', '_', '-'); nothing was stored",
                            Map.of("entry", name));
                }
                long cap = isCsv ? MAX_CSV_BYTES : limits.maxPhotoSize().toBytes();
                long budget = limits.maxUncompressedSize().toBytes() - inflated;
                Read read = read(zip, e, Math.min(cap + 1, budget + 1));
                inflated += read.bytes();
                if (inflated > limits.maxUncompressedSize().toBytes()) {
                    throw new ArchiveRejected("archive_uncompressed_too_large", "the archive inflates to more than "
                            + limits.maxUncompressedSize().toBytes() + " bytes (faceroster.import.max-uncompressed-size)"
                            + "; nothing was stored");
                }
                if (nested(name, read.head())) {
                    throw ArchiveRejected.at("archive_nested", name, "archives inside the archive are not accepted");
                }
                if (isCsv) {
                    if (read.bytes() > cap) {
                        throw ArchiveRejected.at("csv_invalid", name, "larger than " + cap + " bytes");
                    }
                    csv = EmployeesCsv.parse(read.all());
                    continue;
                }
                boolean tooLarge = read.bytes() > cap;
                photos.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(new Photo(parts[0], parts[1], name,
                        read.bytes(), tooLarge ? null : read.sha256()));
            }
            return new Contents(photos, csv, entries, inflated);
        }
    }

    private static ArchiveRejected tooManyEntries(ImportProperties limits) {
        return new ArchiveRejected("archive_too_many_entries", "the archive holds more than " + limits.maxEntries()
                + " entries (faceroster.import.max-entries; counted in its central directory before it is read); "
                + "nothing was stored");
    }

    /** The bytes of one photo entry (at most {@code max} bytes are read). */
    static byte[] photo(ZipFile zip, String entry, long max) throws IOException {
        ZipArchiveEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new IOException("entry " + entry + " vanished from the archive");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max));
        }
    }

    static ZipFile open(Path file) throws IOException {
        try {
            return ZipFile.builder().setPath(file).setCharset(StandardCharsets.UTF_8).setUseUnicodeExtraFields(true)
                    .get();
        } catch (IOException | RuntimeException e) {
            throw new ArchiveRejected("archive_unreadable", "the upload is not a readable ZIP archive ("
                    + e.getMessage() + "); nothing was stored");
        }
    }

    private static String checkedName(ZipArchiveEntry e) {
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(e.getRawName())).toString();
        } catch (CharacterCodingException ex) {
            String shown = new String(e.getRawName(), StandardCharsets.UTF_8);
            throw ArchiveRejected.at("archive_name_not_utf8", shown, "the name is not UTF-8 (zip the folder again "
                    + "with a tool that writes UTF-8 names)");
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0 || name.startsWith("/")
                || name.matches("^[A-Za-z]:.*")) {
            throw ArchiveRejected.at("archive_unsafe_path", name, "absolute paths, drive letters and backslashes "
                    + "are not accepted");
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ArchiveRejected.at("archive_unsafe_path", name, "'.', '..' and empty path segments are not "
                        + "accepted");
            }
        }
        return path;
    }

    private static boolean ignored(String[] parts) {
        return parts[0].equals("__MACOSX") || parts[parts.length - 1].startsWith(".");
    }

    private static boolean nested(String name, byte[] head) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && ARCHIVE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return true;
        }
        return startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 0x1f, 0x8b) || startsWith(head, '7', 'z', 0xbc, 0xaf)
                || startsWith(head, 'R', 'a', 'r', '!') || startsWith(head, 'B', 'Z', 'h')
                || startsWith(head, 0xfd, '7', 'z', 'X', 'Z') || startsWith(head, 0x28, 0xb5, 0x2f, 0xfd);
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** An entry's inflated size (at most the cap), first bytes, hash, and (for the CSV) its bytes. */
    private record Read(long bytes, byte[] head, String sha256, byte[] all) {
    }

    private static Read read(ZipFile zip, ZipArchiveEntry e, long max) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] head = new byte[0];
        java.io.ByteArrayOutputStream all = e.getName().equals(EmployeesCsv.FILE)
                ? new java.io.ByteArrayOutputStream() : null;
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = zip.getInputStream(e)) {
            int n;
            while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) > 0) {
                if (total == 0) {
                    head = java.util.Arrays.copyOf(buf, Math.min(n, 8));
                }
                digest.update(buf, 0, n);
                if (all != null) {
                    all.write(buf, 0, n);
                }
                total += n;
            }
        } catch (IOException | RuntimeException ex) {
            throw ArchiveRejected.at("archive_unreadable", e.getName(), "the entry cannot be read ("
                    + ex.getMessage() + ")");
        }
        return new Read(total, head, HexFormat.of().formatHex(digest.digest()), all == null ? null : all.toByteArray());
    }
}
