# crypto/asn1: DER reader (owned by the X.509 helper).
SHARED_C   += crypto/asn1.c
UNIT_TESTS += asn1
