package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.testsupport.AttackImages;
import io.faceroster.testsupport.TestImages;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The decoder's memory budget against the review's worst images (issue 10, items 1 and 2). */
class ImageBudgetTest {

    private static final long MIB = 1024 * 1024;

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(),
            new DecodeBudget(256 * MIB, Duration.ofMillis(200)));

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (ImageRejected e) {
            assertThat(e.code()).matches("image_.*|decode_busy");
            return e.code();
        }
        return "decoded";
    }

    @Test
    void thinTallPngIsRefusedFromItsHeader() {
        byte[] strip = AttackImages.greyPng(1, 5_000_000);
        assertThat(code(() -> decoder.decode(strip))).isEqualTo("image_dimensions_unsupported");
    }

    @Test
    void fortyMegapixelStripIsRefusedWithoutOverflow() {
        byte[] strip = AttackImages.greyPng(1, 40_000_000);
        assertThat(code(() -> decoder.decode(strip))).isEqualTo("image_dimensions_unsupported");
    }

    @Test
    void sixteenBitRgbaAtFortyMegapixelsIsRefusedByItsDecodedBytes() {
        byte[] deep = AttackImages.rgba16Png(6324, 6324);
        assertThat(code(() -> decoder.decode(deep))).isEqualTo("image_dimensions_too_large");
    }

    @Test
    void sixteenBitImageBeyondThePerImageShareIsSubsampledWhileDecoding() {
        // 3000 x 3000 x (8 + 16) bytes = 206 MiB > 128 MiB per image: subsampled by 2.
        try (DecodedImage d = decoder.decode(AttackImages.rgba16Png(3000, 3000))) {
            assertThat(d.scale()).isEqualTo(2);
            assertThat(d.image().getWidth()).isEqualTo(1500);
        }
    }

    @Test
    void webpPatchedToDeclare6000x6000IsUnreadable() {
        byte[] forged = AttackImages.webpDeclaring(6000, 6000);
        assertThat(code(() -> decoder.decode(forged))).isEqualTo("image_unreadable");
    }

    @Test
    void tinyWebpDeclaring6000x6000IsUnreadable() {
        byte[] forged = AttackImages.tinyWebpDeclaring(6000, 6000);
        assertThat(forged).hasSizeLessThan(60);
        assertThat(code(() -> decoder.decode(forged))).isEqualTo("image_unreadable");
    }

    @Test
    void truncatedWebpIsUnreadable() {
        byte[] cut = AttackImages.truncatedWebp(AttackImages.faceWebp().length / 2);
        assertThat(code(() -> decoder.decode(cut))).isEqualTo("image_unreadable");
    }

    @Test
    void truncatedPngIsUnreadable() {
        byte[] png = TestImages.face(1, 1);
        byte[] cut = AttackImages.truncated(png, png.length * 2 / 3);
        assertThat(code(() -> decoder.decode(cut))).isEqualTo("image_unreadable");
    }

    @Test
    void truncatedJpegIsUnreadable() {
        byte[] jpeg = TestImages.photo(1, 1);
        byte[] cut = AttackImages.truncated(jpeg, jpeg.length / 2);
        assertThat(code(() -> decoder.decode(cut))).isEqualTo("image_unreadable");
    }

    @Test
    void intactWebpStillDecodes() {
        try (DecodedImage d = decoder.decode(AttackImages.faceWebp())) {
            assertThat(d.image().getWidth()).isEqualTo(92);
        }
    }

    @Test
    void closingADecodedImageGivesItsMemoryBack() {
        DecodeBudget budget = new DecodeBudget(64 * MIB, Duration.ofMillis(200));
        ImageDecoder d = new ImageDecoder(ImageLimits.defaults(), budget);
        DecodedImage image = d.decode(TestImages.photo(1, 1));
        assertThat(budget.availableBytes()).isLessThan(64 * MIB);
        image.close();
        image.close();
        assertThat(budget.availableBytes()).isEqualTo(64 * MIB);
    }

    @Test
    void aDecodeThatFindsTheBudgetTakenIsRefusedWith429() {
        DecodeBudget budget = new DecodeBudget(64 * MIB, Duration.ofMillis(100));
        ImageDecoder d = new ImageDecoder(ImageLimits.defaults(), budget);
        DecodeBudget.Permit held = budget.acquire(budget.perImageBytes());
        DecodeBudget.Permit other = budget.acquire(budget.perImageBytes() - MIB);
        try {
            assertThatThrownBy(() -> d.decode(TestImages.photo(1, 1))).isInstanceOfSatisfying(ImageRejected.class,
                    e -> assertThat(e.code()).isEqualTo("decode_busy"));
        } finally {
            held.release();
            other.release();
        }
    }

    @Test
    void imageSizesThatOverflowAnIntAreRefused() {
        assertThatThrownBy(() -> Resampling.area(137, 40_000_000, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
