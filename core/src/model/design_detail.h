/* The full result of a design estimate, as the model keeps it beside the
 * headline: the type is the estimator's own (methods/estimator.h). */
#ifndef WE_MODEL_DESIGN_DETAIL_H
#define WE_MODEL_DESIGN_DETAIL_H

#include "methods/estimator.h"

#endif
