package io.faceroster.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** ZIP archives for bulk-import tests: entries by name, and the hostile kinds (symlinks, foreign name encodings). */
public final class ImportArchives {

    private ImportArchives() {
    }

    /** A builder of one archive's entries, in order. */
    public static final class Builder {
        private final Map<String, byte[]> entries = new LinkedHashMap<>();
        private String symlink;
        private String symlinkTarget;
        private boolean latin1Names;

        public Builder add(String name, byte[] bytes) {
            entries.put(name, bytes);
            return this;
        }

        public Builder csv(String text) {
            return add("employees.csv", text.getBytes(StandardCharsets.UTF_8));
        }

        public Builder symlink(String name, String target) {
            symlink = name;
            symlinkTarget = target;
            return this;
        }

        /** Names written in ISO-8859-1 without the UTF-8 flag (what old Windows tools do). */
        public Builder latin1Names() {
            latin1Names = true;
            return this;
        }

        public byte[] zip() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                if (latin1Names) {
                    zip.setEncoding("ISO-8859-1");
                    zip.setUseLanguageEncodingFlag(false);
                    zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
                }
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeArchiveEntry();
                }
                if (symlink != null) {
                    ZipArchiveEntry link = new ZipArchiveEntry(symlink);
                    link.setUnixMode(UnixStat.LINK_FLAG | 0777);
                    zip.putArchiveEntry(link);
                    zip.write(symlinkTarget.getBytes(StandardCharsets.UTF_8));
                    zip.closeArchiveEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    public static Builder archive() {
        return new Builder();
    }

    /** The multipart part the import endpoint reads. */
    public static ApiClient.Part part(byte[] zip) {
        return new ApiClient.Part("archive", "photos.zip", "application/zip", zip);
    }
}
