/*
 * esdk_keyring.c - the material helpers shared by keyrings (see esdk_keyring.h).
 */
#include "esdk_keyring.h"

#include <stdlib.h>
#include <string.h>

#include "crypto_util.h"

/* Grows the EDK array by one and copies the fields in. */
int
mao_esdk_materials_add_edk(mao_esdk_materials *m, const char *provider_id,
						   const void *info, size_t info_len,
						   const void *ct, size_t ct_len)
{
	mao_esdk_edk *n = realloc(m->edks, (m->n_edks + 1) * sizeof(*n));
	int rc;

	if (n == NULL)
		return MAO_ERR_NOMEM;
	m->edks = n;
	rc = mao_esdk_edk_set(&n[m->n_edks], provider_id, strlen(provider_id),
						  info, info_len, ct, ct_len);
	if (rc == MAO_OK)
		m->n_edks++;
	return rc;
}

/* Wipes the key, frees the EDK list. */
void
mao_esdk_materials_clear(mao_esdk_materials *m)
{
	mao_secure_zero(m->data_key, sizeof(m->data_key));
	m->has_data_key = 0;
	for (size_t i = 0; i < m->n_edks; i++)
		mao_esdk_edk_clear(&m->edks[i]);
	free(m->edks);
	m->edks = NULL;
	m->n_edks = 0;
}

/* Calls the implementation's destructor. */
void
mao_keyring_free(mao_keyring *kr)
{
	if (kr != NULL && kr->destroy != NULL)
		kr->destroy(kr);
}
