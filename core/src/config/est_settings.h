/* The config's inference and design settings in the form the estimators
 * take (methods/estimator.h): methods know nothing of the config. */
#ifndef WE_CONFIG_EST_SETTINGS_H
#define WE_CONFIG_EST_SETTINGS_H

#include "config/config.h"
#include "methods/estimator.h"

we_est_settings we_config_est_settings(const we_config *c);

#endif
