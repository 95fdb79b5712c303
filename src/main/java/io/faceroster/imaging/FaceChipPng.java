package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a face chip is stored: a PNG of the chip carrying its landmarks as JSON in a {@code tEXt} chunk named
 * {@value #KEYWORD}, so that the crop and what is known of it stay one value (encrypted at rest together, erased
 * together). A PNG without that chunk is a grey 92x112 crop stored before chips existed; it is re-cut into a chip
 * when read ({@link FaceChips#fromLegacyCrop}), never rewritten.
 */
public final class FaceChipPng {

    static final String KEYWORD = "faceroster-chip";
    private static final String PNG_FORMAT = "javax_imageio_png_1.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the chunk holds. */
    record Stored(FaceChip.Source source, Landmarks landmarks) {
    }

    private FaceChipPng() {
    }

    public static byte[] toPng(FaceChip chip) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            BufferedImage image = chip.image().toBufferedImage();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    writer.getDefaultWriteParam());
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", KEYWORD);
            entry.setAttribute("value", JSON.writeValueAsString(new Stored(chip.source(), chip.landmarks())));
            text.appendChild(entry);
            IIOMetadataNode root = new IIOMetadataNode(PNG_FORMAT);
            root.appendChild(text);
            metadata.mergeTree(PNG_FORMAT, root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(new IIOImage(image, null, metadata));
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chip stored as {@code png}: a chip with its landmarks, or a legacy crop re-cut into one. */
    public static FaceChip fromPng(byte[] png) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                BufferedImage image = reader.read(0);
                String stored = chunk(reader.getImageMetadata(0));
                if (stored == null) {
                    return FaceChips.fromLegacyCrop(GreyImage.of(image));
                }
                Stored s = JSON.readValue(stored, Stored.class);
                return new FaceChip(RgbImage.of(image), s.landmarks(), s.source());
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stored face chip is not a readable PNG", e);
        }
    }

    private static String chunk(IIOMetadata metadata) throws IIOInvalidTreeException {
        Node root = metadata.getAsTree(PNG_FORMAT);
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!"tEXt".equals(n.getNodeName())) {
                continue;
            }
            for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                var attributes = e.getAttributes();
                if (KEYWORD.equals(attributes.getNamedItem("keyword").getNodeValue())) {
                    return attributes.getNamedItem("value").getNodeValue();
                }
            }
        }
        return null;
    }
}
