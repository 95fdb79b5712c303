package io.faceroster.importing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts a ZIP's central-directory records before a ZIP library reads them all into memory: an archive within the
 * size limit can declare tens of millions of tiny entries, and a library builds an object for each before anyone
 * could count them. Walks the records one by one from the directory's offset (ZIP64 included) and stops as soon as
 * the count passes the limit; the declared count in the end record is not trusted.
 */
final class CentralDirectory {

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int RECORD = 0x02014b50;

    private CentralDirectory() {
    }

    /** The number of central-directory records, or {@code limit + 1} as soon as there are more than {@code limit}. */
    static long count(Path zip, long limit) throws IOException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 65_535 + 22);
            ByteBuffer end = read(ch, size - tail, tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == EOCD) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw new IOException("no end of central directory record");
            }
            long cdSize = Integer.toUnsignedLong(end.getInt(eocd + 12));
            long cdOffset = Integer.toUnsignedLong(end.getInt(eocd + 16));
            if ((cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) && eocd >= 20
                    && end.getInt(eocd - 20) == ZIP64_LOCATOR) {
                long zip64 = end.getLong(eocd - 20 + 8);
                ByteBuffer record = read(ch, zip64, 56);
                if (record.getInt(0) != ZIP64_EOCD) {
                    throw new IOException("a broken ZIP64 end record");
                }
                cdSize = record.getLong(40);
                cdOffset = record.getLong(48);
            }
            if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > size) {
                throw new IOException("the central directory lies outside the file");
            }
            long count = 0;
            long pos = cdOffset;
            long stop = cdOffset + cdSize;
            while (pos + 46 <= stop) {
                ByteBuffer header = read(ch, pos, 46);
                if (header.getInt(0) != RECORD) {
                    break;
                }
                if (++count > limit) {
                    return count;
                }
                pos += 46L + Short.toUnsignedInt(header.getShort(28)) + Short.toUnsignedInt(header.getShort(30))
                        + Short.toUnsignedInt(header.getShort(32));
            }
            return count;
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        if (position < 0 || position + length > ch.size()) {
            throw new IOException("a ZIP record lies outside the file");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("the ZIP file ends inside a record");
            }
        }
        return b.flip();
    }
}
