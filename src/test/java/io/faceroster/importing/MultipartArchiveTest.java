package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.DomainException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming multipart reader: the archive part byte for byte, however the body arrives; its limits. */
class MultipartArchiveTest {

    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    @TempDir
    Path dir;

    private static byte[] body(byte[] archive, boolean withOtherPart) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        if (withOtherPart) {
            b.write("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZ"
                    .getBytes(StandardCharsets.US_ASCII));
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            b.write("--XyZ\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        b.write(("Content-Disposition: form-data; name=\"archive\"; filename=\"a.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(archive);
        b.write("\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** Hands out the body one byte at a time: every boundary is split across reads. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void theArchivePartIsWrittenByteForByteEvenWhenItLooksLikeABoundary() throws IOException {
        byte[] archive = new byte[200_000];
        new Random(1).nextBytes(archive);
        byte[] nearMiss = "\r\n--XyY and \r\n--Xy".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nearMiss, 0, archive, 1000, nearMiss.length);
        Path target = dir.resolve("a.zip");
        var received = MultipartArchive.receive(new ByteArrayInputStream(body(archive, true)), TYPE, target, 1 << 20);
        assertThat(received.filename()).isEqualTo("a.zip");
        assertThat(received.bytes()).isEqualTo(archive.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(archive);
    }

    @Test
    void aBodyArrivingOneByteAtATimeGivesTheSameArchive() throws IOException {
        byte[] archive = "PK\u0003\u0004 small archive \r\n--X".getBytes(StandardCharsets.ISO_8859_1);
        Path target = dir.resolve("b.zip");
        MultipartArchive.receive(trickle(body(archive, false)), TYPE, target, 1 << 20);
        assertThat(Files.readAllBytes(target)).isEqualTo(archive);
    }

    @Test
    void anArchiveOverTheLimitIsRefusedAsTooLarge() {
        byte[] archive = new byte[5000];
        assertThatThrownBy(() -> MultipartArchive.receive(new ByteArrayInputStream(body(archive, false)), TYPE,
                dir.resolve("c.zip"), 4999)).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo("archive_too_large");
    }

    @Test
    void aBodyWithoutAnArchivePartOrNotMultipartIsArchiveMissing() {
        byte[] onlyNote = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ--\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> MultipartArchive.receive(new ByteArrayInputStream(onlyNote), TYPE,
                dir.resolve("d.zip"), 1000)).extracting(e -> ((DomainException) e).code()).isEqualTo("archive_missing");
        assertThatThrownBy(() -> MultipartArchive.receive(new ByteArrayInputStream(new byte[10]), "application/zip",
                dir.resolve("e.zip"), 1000)).extracting(e -> ((DomainException) e).code()).isEqualTo("archive_missing");
    }

    @Test
    void aTruncatedBodyIsRefused() throws IOException {
        byte[] full = body(new byte[3000], false);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 20);
        assertThatThrownBy(() -> MultipartArchive.receive(new ByteArrayInputStream(cut), TYPE, dir.resolve("f.zip"),
                1 << 20)).extracting(e -> ((DomainException) e).code()).isEqualTo("archive_missing");
    }
}
