/* Fast paths and their references. Where wijkeval has a fast path (the
 * streaming reader of the indicators file, the per-cluster sums of the
 * event-study bootstrap, the per-area summaries of randomisation
 * inference, SHA-256 with the processor's instructions), the direct
 * computation it replaces stays in the code as the reference: tests switch
 * to it and check that both give the same numbers on the test data. */
#ifndef WE_UTIL_REFERENCE_H
#define WE_UTIL_REFERENCE_H

/* Process-wide; set it before any method runs (tests only). */
void we_use_reference_paths(int on);
int we_reference_paths(void);

#endif
