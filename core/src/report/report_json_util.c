#include <math.h>
#include <stdlib.h>

#include "report/report_json_internal.h"
#include "util/error.h"

/* jansson accepts only UTF-8; a name or message from a Latin-1 file must
 * not cost the whole report, so its non-ASCII bytes become '?'. */
json_t *we_rj_str(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *v = json_string(s);
    if (v != NULL)
        return v;
    char *copy = we_strdup(s);
    if (copy == NULL)
        return NULL;
    for (unsigned char *p = (unsigned char *)copy; *p != '\0'; p++)
        if (*p >= 0x80)
            *p = '?';
    v = json_string(copy);
    free(copy);
    return v;
}

/* JSON has no NaN or infinity: a number a method did not produce is null. */
json_t *we_rj_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *we_rj_numbers(const double *x, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, we_rj_num(x[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *we_rj_count(long n)
{
    return n < 0 ? json_null() : json_integer((json_int_t)n);
}

/* json_object_set_new consumes its value even when it fails, so nothing
 * leaks on the way out. */
json_t *we_rj_object(size_t n, const char *const *keys, json_t **vals)
{
    json_t *o = json_object();
    int bad = o == NULL;
    for (size_t i = 0; i < n; i++)
        bad |= json_object_set_new(o, keys[i], vals[i]) != 0;
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
