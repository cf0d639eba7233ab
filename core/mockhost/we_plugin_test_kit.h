/*
 * Shared parts of the plugin tests (cmocka, on the mock host): the standard
 * panel and the tests every experiment plugin must pass.
 *
 * The standard panel: 12 wijken over 2005-2010. Wijken 4k..4k+3 form
 * municipality GM000k; wijk a is WK000a and has 1000 + 250 a inhabitants.
 * Wijken 0, 1, 4 and 8 are treated from 2008 (period index 3); the
 * baseline is 2007 (index 2). Each indicator is noiseless:
 *
 *     y[a, t] = base + area[a] + time_scale * time_effect[t]
 *               + effect (treated wijk, t >= 2008)
 *
 * with time_effect = 0, 0.4, 0.7, 1.5, 1.9, 2.6, so the TWFE estimate
 * equals `effect` and a test can write its expected metrics out by hand.
 *
 * A plugin test describes its data in one we_kit_plugin and lists the
 * generic tests with WE_KIT_TESTS(&kit) before its own.
 */
#ifndef WE_PLUGIN_TEST_KIT_H
#define WE_PLUGIN_TEST_KIT_H

#include <stddef.h>

#include "mock_host.h"

enum { WE_KIT_AREAS = 12, WE_KIT_PERIODS = 6 };

/* The plugin under test, linked into the test program. */
const we_plugin_descriptor *wijkeval_plugin_entry(void);

typedef struct we_kit_series {
    const char *name;
    we_direction dir;
    double base, area[WE_KIT_AREAS], time_scale, effect;
} we_kit_series;

typedef struct we_kit_plugin {
    const char *id;
    /* The descriptor's targets first, in its order (the first primary, the
     * rest secondary), then the other indicators the plugin reads. */
    const we_kit_series *series;
    size_t n_series, n_targets;
    /* The indicators the plugin's metrics need: without one the
     * evaluation must fail and name it. */
    const char *const *inputs;
    size_t n_inputs;
    /* Optional: changes series `name`'s values y (holes in the data). */
    void (*edit)(const char *name, double *y);
} we_kit_plugin;

/* y[a * WE_KIT_PERIODS + t] of the series on the standard panel. */
void we_kit_fill(const we_kit_series *s, double *y);

/* A mock with the standard panel and design and every series (edited),
 * with the catalogue's units and labels (we_kit_catalog_path()) for
 * host->indicator_info. */
we_mock *we_kit_mock(const we_kit_plugin *k);

/* The value of an emitted metric; fails the test when it is missing. */
double we_kit_metric(const we_mock *m, const char *name);

/* The catalogue to check descriptors against: $WE_CATALOG or
 * data/catalog.csv. */
const char *we_kit_catalog_path(void);

/* The generic tests; the cmocka state is the we_kit_plugin. */
void we_kit_test_descriptor(void **state);
void we_kit_test_methods_for_every_target(void **state);
void we_kit_test_no_data_is_skipped(void **state);
void we_kit_test_unknown_target_fails(void **state);
void we_kit_test_missing_input_fails(void **state);
/* Not among WE_KIT_TESTS (a plugin may have English text only): the
 * descriptor's summary_nl and every emitted metric with label_en,
 * label_nl and description_nl (ABI 1.3). List it with
 * WE_KIT_TEST(we_kit_test_dutch_text, &kit). */
void we_kit_test_dutch_text(void **state);

#define WE_KIT_TEST(fn, kit) cmocka_unit_test_prestate(fn, (void *)(kit))
#define WE_KIT_TESTS(kit)                                                   \
    WE_KIT_TEST(we_kit_test_descriptor, kit),                               \
        WE_KIT_TEST(we_kit_test_methods_for_every_target, kit),             \
        WE_KIT_TEST(we_kit_test_no_data_is_skipped, kit),                   \
        WE_KIT_TEST(we_kit_test_unknown_target_fails, kit),                 \
        WE_KIT_TEST(we_kit_test_missing_input_fails, kit)

#endif
