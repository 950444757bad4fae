package com.acme.billing.console;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Chart.js configuration as the JSON a page carries in {@code <script type="application/json" class="chart">}
 * (drawn by console.js). Written into the page unescaped ({@code th:utext}), so every {@code <} is written as
 * {@code \u003c}: no value can close the script element, whatever text a label holds.
 */
final class ChartJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChartJson() {
    }

    static String of(Map<String, Object> config) {
        return JSON.writeValueAsString(config).replace("<", "\\u003c");
    }
}
