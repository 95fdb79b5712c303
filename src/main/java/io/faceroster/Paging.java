package io.faceroster;


/** The page parameters every listing endpoint takes ({@code page} from 0, {@code size} from 1 to a maximum). */
public final class Paging {

    private Paging() {
    }

    /**
     * Refuses with {@code validation_failed} unless {@code page >= 0}, {@code 1 <= size <= maxSize} and the first
     * row ({@code page * size}) fits an int.
     */
    public static void check(int page, int size, int maxSize) {
        if (page < 0 || size < 1 || size > maxSize || (long) page * size > Integer.MAX_VALUE) {
            throw DomainException.invalid("page must be >= 0 and size between 1 and " + maxSize);
        }
    }
}
