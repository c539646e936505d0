package dev.letterbox.examples.orders;

import java.util.Objects;

/**
 * One line of an order: a product and how many of it, at a unit price.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sku        product code; not blank
 * @param quantity   number of units; at least 1
 * @param priceCents unit price in cents; not negative
 */
public record OrderLine(String sku, int quantity, long priceCents) {

    public OrderLine {
        Objects.requireNonNull(sku, "sku");
        if (sku.isBlank()) {
            throw new IllegalArgumentException("order line sku must not be blank");
        }
        if (quantity < 1) {
            throw new IllegalArgumentException("order line quantity must be at least 1, was " + quantity);
        }
        if (priceCents < 0) {
            throw new IllegalArgumentException("order line priceCents must not be negative, was " + priceCents);
        }
    }

    /** The line's total in cents: quantity times unit price. */
    public long totalCents() {
        return quantity * priceCents;
    }
}
