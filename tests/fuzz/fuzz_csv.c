/* Fuzzes the CSV reader: any bytes must either parse into rows whose
 * fields are NUL-terminated strings inside the row, or end with an error
 * message that names the file; never a crash or an out-of-bounds read. */
#include "fuzz_util.h"

#include "data/csv.h"

static void check_row(const we_csv *r, const we_csv_row *row)
{
    double v;
    for (size_t i = 0; i < row->n_fields; i++) {
        /* Touch every byte: ASan catches a field that is not terminated. */
        size_t n = strlen(row->fields[i]);
        if (row->columns[i] == 0 || n > 1u << 30)
            abort();
        (void)we_csv_number(r, row->fields[i], &v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[WE_FUZZ_PATH_MAX];
    we_error err;
    we_csv *r;
    we_fuzz_write("input.csv", data, size, path);
    if (we_csv_open(&r, path, &err) != 0) {
        if (strstr(err.msg, path) == NULL)
            abort(); /* every error names the file */
        return 0;
    }
    size_t len;
    const char *bytes = we_csv_bytes(r, &len);
    if (len != size || (size > 0 && memcmp(bytes, data, size) != 0))
        abort();
    we_csv_row row, header;
    int first = 1, rc;
    memset(&header, 0, sizeof header);
    while ((rc = we_csv_next(r, &row, &err)) == 1) {
        check_row(r, &row);
        if (first) {
            (void)we_csv_column(&row, "area");
            first = 0;
        }
    }
    if (rc < 0 && strstr(err.msg, path) == NULL)
        abort();
    we_csv_close(r);
    return 0;
}
