package io.faceroster.imaging;

/**
 * The container checks a WebP needs before its decoder runs: the WebP decoder fills data missing from a
 * truncated or forged file with zeros instead of failing, so a 57-byte file declaring 6000 x 6000 pixels would
 * decode as a blank 36-megapixel image. Checked: the RIFF size against the file length, every chunk inside the
 * file, a VP8 frame's first partition inside its chunk, and an extended header's canvas against its frame.
 */
final class WebpStructure {

    private WebpStructure() {
    }

    static void check(byte[] b) {
        if (b.length < 20 || !tag(b, 0, "RIFF") || !tag(b, 8, "WEBP")) {
            throw ImageDecoder.unreadable("not a RIFF WebP container");
        }
        long riffSize = le32(b, 4);
        if (riffSize < 4 || riffSize + 8 > b.length) {
            throw ImageDecoder.unreadable("the WebP file is truncated: its header declares " + (riffSize + 8)
                    + " bytes, the file has " + b.length);
        }
        int end = (int) (riffSize + 8);
        long canvasW = -1;
        long canvasH = -1;
        long frameW = -1;
        long frameH = -1;
        boolean animated = false;
        int pos = 12;
        while (pos + 8 <= end) {
            long size = le32(b, pos + 4);
            int payload = pos + 8;
            if (size > end - payload) {
                throw ImageDecoder.unreadable("the WebP chunk '" + new String(b, pos, 4,
                        java.nio.charset.StandardCharsets.ISO_8859_1) + "' runs past the end of the file");
            }
            if (tag(b, pos, "VP8X") && size >= 10) {
                canvasW = 1 + le24(b, payload + 4);
                canvasH = 1 + le24(b, payload + 7);
            } else if (tag(b, pos, "ANMF")) {
                animated = true;
            } else if (tag(b, pos, "VP8 ") && frameW < 0) {
                if (size < 10 || (b[payload + 3] & 0xff) != 0x9d || (b[payload + 4] & 0xff) != 0x01
                        || (b[payload + 5] & 0xff) != 0x2a) {
                    throw ImageDecoder.unreadable("the WebP VP8 frame header is damaged");
                }
                long firstPartition = le24(b, payload) >>> 5;
                if (firstPartition == 0 || firstPartition > size - 10) {
                    throw ImageDecoder.unreadable("the WebP VP8 frame is truncated: its first partition declares "
                            + firstPartition + " bytes, the frame has " + (size - 10));
                }
                frameW = le16(b, payload + 6) & 0x3fff;
                frameH = le16(b, payload + 8) & 0x3fff;
            } else if (tag(b, pos, "VP8L") && frameW < 0) {
                if (size < 5 || (b[payload] & 0xff) != 0x2f) {
                    throw ImageDecoder.unreadable("the WebP lossless frame header is damaged");
                }
                long bits = le32(b, payload + 1);
                frameW = 1 + (bits & 0x3fff);
                frameH = 1 + ((bits >>> 14) & 0x3fff);
            }
            pos = payload + (int) size + (int) (size & 1);
        }
        if (frameW < 0 && !animated) {
            throw ImageDecoder.unreadable("the WebP file holds no image frame");
        }
        if (canvasW > 0 && frameW > 0 && !animated && (canvasW != frameW || canvasH != frameH)) {
            throw ImageDecoder.unreadable("the WebP canvas (" + canvasW + "x" + canvasH + ") and its frame ("
                    + frameW + "x" + frameH + ") disagree");
        }
    }

    private static boolean tag(byte[] b, int at, String fourcc) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != fourcc.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long le24(byte[] b, int at) {
        return le16(b, at) | (long) (b[at + 2] & 0xff) << 16;
    }

    private static long le32(byte[] b, int at) {
        return le24(b, at) | (long) (b[at + 3] & 0xff) << 24;
    }
}
