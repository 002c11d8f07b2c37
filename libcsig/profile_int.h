/*
 * profile_int.h - provisioning-profile internals shared with the JSON
 * writers of other modules (bundle, audit).  Internal.
 */
#ifndef CSIG_PROFILE_INT_H
#define CSIG_PROFILE_INT_H

#include "csig/profile.h"
#include "json.h"

/*
 * Write the JSON object csig_profile_json documents: the profile's keys,
 * kind, certificates, entitlements and CMS, plus "check" (verdict,
 * days_to_expiry, findings) when @r is non-NULL.
 */
void csig__profile_json(csig_json *j, const csig_profile *p, const csig_profile_result *r);
/* The JSON object of a match result ({"ok":..., "slice":..., "checks":[...]}). */
void csig__profile_match_json(csig_json *j, const csig_profile_match_result *m);

#endif
