package io.faceroster.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The images of the outside review's memory attacks (issue 10), written byte by byte so that none is ever held
 * decoded by the test: thin tall PNGs, 16-bit RGBA PNGs, WebPs whose header declares 6000 x 6000 pixels.
 */
public final class AttackImages {

    private AttackImages() {
    }

    /** A black 8-bit grey PNG of {@code width x height} (1 x 5,000,000: about 10 KB). */
    public static byte[] greyPng(int width, int height) {
        return png(width, height, 8, 0, width);
    }

    /** A black 16-bit RGBA PNG ({@code 6324 x 6324}: about 320 KB, 320 MB decoded). */
    public static byte[] rgba16Png(int width, int height) {
        return png(width, height, 16, 6, width * 8L);
    }

    /** The first {@code length} bytes of {@code image}. */
    public static byte[] truncated(byte[] image, int length) {
        return Arrays.copyOf(image, length);
    }

    private static byte[] png(int width, int height, int bitDepth, int colourType, long rowBytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                    .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            byte[] row = new byte[(int) rowBytes + 1];   // filter type 0, then zero samples
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
                for (int y = 0; y < height; y++) {
                    z.write(row);
                }
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** The test face WebP (92 x 112, lossy) with its frame header patched to declare {@code width x height}. */
    public static byte[] webpDeclaring(int width, int height) {
        byte[] b = faceWebp();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(26, (short) width).putShort(28, (short) height);
        return b;
    }

    /**
     * A 56-byte WebP whose consistent RIFF and VP8 headers declare {@code width x height}, with 26 bytes of the
     * test face's compressed data: the review's "57-byte WebP declaring 6000 x 6000".
     */
    public static byte[] tinyWebpDeclaring(int width, int height) {
        byte[] face = faceWebp();
        int payload = 36;
        ByteBuffer b = ByteBuffer.allocate(20 + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + payload);
        b.put("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)).putInt(payload);
        int firstPartition = 20;
        int tag = (firstPartition << 5) | 0x10;   // key frame, version 0, shown
        b.put((byte) tag).put((byte) (tag >> 8)).put((byte) (tag >> 16));
        b.put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a).putShort((short) width).putShort((short) height);
        b.put(face, 30, payload - 10);
        return b.array();
    }

    /** The test face WebP cut after {@code length} bytes, its RIFF header unchanged (a truncated upload). */
    public static byte[] truncatedWebp(int length) {
        return truncated(faceWebp(), length);
    }

    public static byte[] faceWebp() {
        try (InputStream in = AttackImages.class.getResourceAsStream("/images/face.webp")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
