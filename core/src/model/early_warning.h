/* The watch list of sliding areas as the model records it: the result
 * type is the method's own (methods/early_warning.h). */
#ifndef WE_MODEL_EARLY_WARNING_H
#define WE_MODEL_EARLY_WARNING_H

#include "methods/early_warning.h"

#endif
