package io.faceroster.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body as a stream and writes its {@code archive} part to a file, so an archive
 * of gigabytes never sits in memory (the service's own multipart handling keeps parts in memory, sized for photos).
 * The size limit is checked while the bytes arrive; other parts are read and dropped (at most 64 KiB each).
 */
final class MultipartArchive {

    static final String PART = "archive";
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final long MAX_OTHER_PART = 64 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    /** The part as received: its file name (may be empty) and size. */
    record Received(String filename, long bytes) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int start;
    private int end;
    private boolean eof;

    private MultipartArchive(InputStream in, byte[] delimiter) {
        this.in = in;
        this.delimiter = delimiter;
        // The body begins with the delimiter without its leading CRLF: pretend the CRLF was there.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /**
     * Writes the {@code archive} part of {@code body} to {@code target}; refuses a body that is not multipart, has
     * no such part, or whose part is larger than {@code limit} bytes ({@code archive_too_large}).
     */
    static Received receive(InputStream body, String contentType, Path target, long limit) throws IOException {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !m.find()) {
            throw new ArchiveRejected("archive_missing", "expected a multipart/form-data request with an '"
                    + PART + "' part holding a ZIP archive");
        }
        String boundary = m.group(1) != null ? m.group(1) : m.group(2);
        MultipartArchive reader = new MultipartArchive(body,
                ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        return reader.read(target, limit);
    }

    private Received read(Path target, long limit) throws IOException {
        if (copyUntilDelimiter(OutputStream.nullOutputStream(), MAX_OTHER_PART) < 0) {
            throw malformed("no opening boundary");
        }
        Received received = null;
        while (!atClosingBoundary()) {
            String headers = readHeaders();
            Matcher name = NAME.matcher(headers);
            boolean archive = name.find() && name.group(1).equals(PART) && received == null;
            if (archive) {
                Matcher file = FILENAME.matcher(headers);
                long bytes;
                try (OutputStream out = Files.newOutputStream(target)) {
                    bytes = copyUntilDelimiter(out, limit);
                }
                if (bytes == -2) {
                    throw new ArchiveRejected("archive_too_large", "the archive is larger than the "
                            + limit + " bytes accepted (faceroster.import.max-archive-size); nothing was stored");
                }
                if (bytes < 0) {
                    throw malformed("the '" + PART + "' part is not terminated");
                }
                received = new Received(file.find() ? file.group(1) : "", bytes);
            } else if (copyUntilDelimiter(OutputStream.nullOutputStream(), MAX_OTHER_PART) < 0) {
                throw malformed("a part other than '" + PART + "' is larger than " + MAX_OTHER_PART
                        + " bytes or not terminated");
            }
        }
        if (received == null) {
            throw new ArchiveRejected("archive_missing", "the multipart request has no part named '" + PART + "'");
        }
        return received;
    }

    private static ArchiveRejected malformed(String why) {
        return new ArchiveRejected("archive_missing", "malformed multipart body: " + why);
    }

    /** After a delimiter: {@code --} ends the body, CRLF starts another part. */
    private boolean atClosingBoundary() throws IOException {
        if (!fill(2)) {
            throw malformed("the body ends inside a boundary");
        }
        boolean closing = buf[start] == '-' && buf[start + 1] == '-';
        if (!closing && !(buf[start] == '\r' && buf[start + 1] == '\n')) {
            // transport padding after the boundary: skip to the end of the line
            while (fill(1) && buf[start] != '\n') {
                start++;
            }
            if (!fill(1)) {
                throw malformed("the body ends inside a boundary");
            }
            start++;
            return false;
        }
        start += 2;
        return closing;
    }

    private String readHeaders() throws IOException {
        StringBuilder headers = new StringBuilder();
        while (true) {
            if (!fill(1)) {
                throw malformed("the body ends inside part headers");
            }
            headers.append((char) (buf[start++] & 0xff));
            if (headers.length() > MAX_HEADER_BYTES) {
                throw malformed("part headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int n = headers.length();
            if (n >= 4 && headers.charAt(n - 4) == '\r' && headers.charAt(n - 3) == '\n'
                    && headers.charAt(n - 2) == '\r' && headers.charAt(n - 1) == '\n') {
                return headers.toString();
            }
            if (n == 2 && headers.charAt(0) == '\r' && headers.charAt(1) == '\n') {
                return "";   // a part without headers
            }
        }
    }

    /**
     * Copies bytes to {@code out} up to the next delimiter and consumes the delimiter. Returns the number of bytes
     * copied, -1 when the body ended first, -2 when more than {@code limit} bytes came first.
     */
    private long copyUntilDelimiter(OutputStream out, long limit) throws IOException {
        long copied = 0;
        while (true) {
            fill(delimiter.length);
            int found = indexOf();
            if (found >= 0) {
                int n = found - start;
                if (copied + n > limit) {
                    return -2;
                }
                out.write(buf, start, n);
                start = found + delimiter.length;
                return copied + n;
            }
            if (eof && end - start < delimiter.length) {
                return -1;
            }
            // No delimiter starts before end - (delimiter.length - 1): everything before that is content.
            int safe = Math.max(0, end - start - (delimiter.length - 1));
            if (copied + safe > limit) {
                return -2;
            }
            out.write(buf, start, safe);
            copied += safe;
            start += safe;
            if (!fill(end - start + 1) && end - start < delimiter.length) {
                return -1;
            }
        }
    }

    private int indexOf() {
        int last = end - delimiter.length;
        byte first = delimiter[0];
        for (int i = start; i <= last; i++) {
            if (buf[i] == first && Arrays.equals(buf, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Makes at least {@code wanted} unread bytes available if the body has them; false when it ends first. */
    private boolean fill(int wanted) throws IOException {
        if (end - start >= wanted) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < wanted && !eof) {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
        return end - start >= wanted;
    }
}
