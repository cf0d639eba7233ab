#include "util/reference.h"

static int reference_paths;

void we_use_reference_paths(int on)
{
    reference_paths = on != 0;
}

int we_reference_paths(void)
{
    return reference_paths;
}
