package com.acme.billing.scaleout;

/** The name of this installation's queue of partition requests ({@link Partitioning#QUEUE}). */
public record PartitionQueue(String name) {
}
