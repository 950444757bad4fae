package com.acme.billing.platform.csv;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * OpenCSV's writer in the product's one dialect: comma separated, RFC 4180 quoting (a cell holding a
 * comma, a quote or a line break is quoted and its quotes doubled; other cells are written bare),
 * and every cell passed through {@link SafeCell}, whichever {@code writeNext} a caller uses.
 */
public final class SafeCsvWriter extends CSVWriter {

    SafeCsvWriter(Writer out, String lineEnd) {
        super(out, ICSVWriter.DEFAULT_SEPARATOR, ICSVWriter.DEFAULT_QUOTE_CHARACTER, ICSVWriter.DEFAULT_QUOTE_CHARACTER, lineEnd);
    }

    /** Writes one row, quoting only the cells that need it. */
    public void row(String... cells) {
        writeNext(cells, false);
    }

    @Override
    protected void writeNext(String[] cells, boolean applyQuotesToAll, Appendable appendable) throws IOException {
        if (cells == null) {
            return;
        }
        String[] safe = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            safe[i] = SafeCell.of(cells[i]);
        }
        super.writeNext(safe, applyQuotesToAll, appendable);
    }

    /** Throws the first write error OpenCSV kept to itself ({@code writeNext} does not throw). */
    public void failOnError() throws IOException {
        if (checkError()) {
            IOException error = getException();
            throw error != null ? error : new IOException("CSV write failed");
        }
    }
}
