
/*
 * Copyright (C) nv8 contributors
 *
 * encoding: the legacy decoders of TextDecoder, on ICU's converters (the
 * ICU that V8 links already).  lib/internal/encoding.js maps the WHATWG
 * labels to ICU converter names, decodes UTF-8, UTF-16 and x-user-defined
 * itself, and builds the single-byte tables once from singleByte() with
 * the spec's corrections; the multi-byte encodings (CJK) stream through
 * one converter per TextDecoder, which keeps a character split between
 * chunks, and the shift state of ISO-2022-JP.
 */


#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <stdlib.h>
#include <string.h>

#include "nv8_internal.h"


static nv8_int_t nv8_encoding_open(nv8_call_t *call);
static nv8_int_t nv8_encoding_decode(nv8_call_t *call);
static nv8_int_t nv8_encoding_single_byte(nv8_call_t *call);
static UConverter *nv8_encoding_converter(nv8_call_t *call, size_t i,
    int fatal, unsigned lone80);
static void nv8_encoding_stop(const void *context,
    UConverterToUnicodeArgs *args, const char *units, int32_t length,
    UConverterCallbackReason reason, UErrorCode *err);
static int nv8_encoding_lone80(const void *context,
    UConverterToUnicodeArgs *args, const char *units, int32_t length,
    UErrorCode *err);
static void nv8_encoding_substitute(const void *context,
    UConverterToUnicodeArgs *args, const char *units, int32_t length,
    UConverterCallbackReason reason, UErrorCode *err);
static void nv8_encoding_free(void *data);


static const nv8_class_t  nv8_encoding_class = {
    "Converter",
    nv8_encoding_free
};


static const nv8_method_t  nv8_encoding_methods[] = {

    { "open",         nv8_encoding_open,         0 },
    { "decode",       nv8_encoding_decode,       0 },
    { "singleByte",   nv8_encoding_single_byte,  0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_encoding_binding = {
    "encoding",
    nv8_encoding_methods
};


/*
 * An ICU converter for the name in argument i: substitutes U+FFFD for
 * malformed input, or stops at it when "fatal".  A lone byte 0x80 that
 * ICU does not map becomes "lone80" if not 0: the spec's gb18030
 * decoder makes it U+20AC (as Windows' code page 936 does), its
 * shift_jis decoder U+0080.
 */

static const UChar  nv8_encoding_euro = 0x20ac;
static const UChar  nv8_encoding_c1 = 0x0080;

static UConverter *
nv8_encoding_converter(nv8_call_t *call, size_t i, int fatal,
    unsigned lone80)
{
    const UChar  *ctx;

    nv8_str_t    name;
    UErrorCode   e;
    UConverter  *cnv;

    if (nv8_arg_string(call, i, &name) != NV8_OK) {
        return NULL;
    }

    e = U_ZERO_ERROR;
    cnv = ucnv_open(name.data, &e);

    if (U_FAILURE(e)) {
        (void) nv8_throw(call, NV8_ERROR_RANGE, "ERR_ENCODING_NOT_SUPPORTED",
                         "ICU has no converter \"%s\": %s", name.data,
                         u_errorName(e));
        return NULL;
    }

    e = U_ZERO_ERROR;

    ctx = (lone80 == 0x20ac) ? &nv8_encoding_euro
          : (lone80 == 0x80) ? &nv8_encoding_c1 : NULL;

    ucnv_setToUCallBack(cnv,
                        fatal ? nv8_encoding_stop : nv8_encoding_substitute,
                        ctx, NULL, NULL, &e);

    if (U_FAILURE(e)) {
        ucnv_close(cnv);
        (void) nv8_throw(call, NV8_ERROR_PLAIN, NULL,
                         "ucnv_setToUCallBack() failed: %s", u_errorName(e));
        return NULL;
    }

    return cnv;
}


/*
 * open(icuName, fatal, lone80): a converter object for one TextDecoder;
 * lone80 is 0, 0x80 or 0x20ac
 */

static nv8_int_t
nv8_encoding_open(nv8_call_t *call)
{
    double       fatal, lone80;
    UConverter  *cnv;

    if (nv8_arg_number(call, 1, &fatal) != NV8_OK
        || nv8_arg_number(call, 2, &lone80) != NV8_OK)
    {
        return NV8_ERROR;
    }

    cnv = nv8_encoding_converter(call, 0, fatal != 0, (unsigned) lone80);
    if (cnv == NULL) {
        return NV8_ERROR;
    }

    if (nv8_return_object(call, &nv8_encoding_class, cnv, 4096) != NV8_OK) {
        ucnv_close(cnv);
        return NV8_ERROR;
    }

    return NV8_OK;
}


/*
 * decode(converter, bytes, flush): the text of "bytes" (UTF-8 to JS).
 * Without "flush", bytes of an unfinished character stay in the
 * converter for the next call.  A malformed sequence, with the converter
 * opened "fatal", resets it and throws a TypeError.
 */

static nv8_int_t
nv8_encoding_decode(nv8_call_t *call)
{
    char           *utf8;
    size_t          len;
    double          flush;
    int32_t         n;
    UChar          *u, *target;
    UErrorCode      e;
    UConverter     *cnv;
    const char     *source;
    unsigned char  *data;

    if (nv8_arg_object(call, 0, &nv8_encoding_class, (void **) &cnv)
        != NV8_OK
        || nv8_arg_bytes_data(call, 1, &data, &len) != NV8_OK
        || nv8_arg_number(call, 2, &flush) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (len > (size_t) INT32_MAX / 4) {
        return nv8_throw(call, NV8_ERROR_RANGE, "ERR_OUT_OF_RANGE",
                         "the input is too large to decode");
    }

    /* a byte gives at most two UTF-16 units, and a flush a few more */
    u = malloc((len * 2 + 16) * sizeof(UChar));
    if (u == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, NULL, "out of memory");
    }

    source = (const char *) data;
    target = u;
    e = U_ZERO_ERROR;

    ucnv_toUnicode(cnv, &target, u + len * 2 + 16, &source,
                   source + len, NULL, flush != 0, &e);

    if (U_FAILURE(e)) {
        free(u);
        ucnv_reset(cnv);

        if (e == U_ILLEGAL_CHAR_FOUND || e == U_INVALID_CHAR_FOUND
            || e == U_TRUNCATED_CHAR_FOUND)
        {
            /* lib/ names the encoding as WHATWG does */
            return nv8_throw(call, NV8_ERROR_TYPE,
                             "ERR_ENCODING_INVALID_ENCODED_DATA",
                             "The encoded data was not valid");
        }

        return nv8_throw(call, NV8_ERROR_PLAIN, NULL,
                         "ucnv_toUnicode() failed: %s", u_errorName(e));
    }

    n = (int32_t) (target - u);

    /* UTF-16 to UTF-8 for the return; 3 bytes a unit at most */
    utf8 = malloc((size_t) n * 3 + 1);
    if (utf8 == NULL) {
        free(u);
        return nv8_throw(call, NV8_ERROR_PLAIN, NULL, "out of memory");
    }

    e = U_ZERO_ERROR;
    u_strToUTF8WithSub(utf8, n * 3 + 1, &n, u, n, 0xfffd, NULL, &e);
    free(u);

    if (U_FAILURE(e)) {
        free(utf8);
        return nv8_throw(call, NV8_ERROR_PLAIN, NULL,
                         "u_strToUTF8() failed: %s", u_errorName(e));
    }

    if (flush != 0) {
        ucnv_reset(cnv);
    }

    nv8_return_utf8(call, utf8, (size_t) n);
    free(utf8);

    return NV8_OK;
}


/*
 * singleByte(icuName): what ICU makes of each byte 0x80-0xff alone, as
 * 128 code points, -1 where ICU maps none
 */

static nv8_int_t
nv8_encoding_single_byte(nv8_call_t *call)
{
    char         in;
    double       cp[128];
    int32_t      n;
    UChar        out[4];
    UErrorCode   e;
    UConverter  *cnv;
    unsigned     b;

    cnv = nv8_encoding_converter(call, 0, 1, 0);
    if (cnv == NULL) {
        return NV8_ERROR;
    }

    for (b = 0x80; b < 0x100; b++) {
        in = (char) b;
        e = U_ZERO_ERROR;
        ucnv_reset(cnv);

        n = ucnv_toUChars(cnv, out, 4, &in, 1, &e);

        cp[b - 0x80] = (U_FAILURE(e) || n != 1) ? -1 : out[0];
    }

    ucnv_close(cnv);

    nv8_return_numbers(call, cp, 128);

    return NV8_OK;
}


/* a lone 0x80 the converter's context maps: its code point, and 1 */

static int
nv8_encoding_lone80(const void *context, UConverterToUnicodeArgs *args,
    const char *units, int32_t length, UErrorCode *err)
{
    if (context == NULL || length != 1 || (unsigned char) units[0] != 0x80) {
        return 0;
    }

    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, context, 1, 0, err);

    return 1;
}


/* malformed or unmapped input, fatal: the error stays and ICU stops */

static void
nv8_encoding_stop(const void *context, UConverterToUnicodeArgs *args,
    const char *units, int32_t length, UConverterCallbackReason reason,
    UErrorCode *err)
{
    if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL
        || reason == UCNV_IRREGULAR)
    {
        (void) nv8_encoding_lone80(context, args, units, length, err);
    }
}


/*
 * Malformed or unmapped input, not fatal: U+FFFD, as the spec's decoders
 * give, where ICU's own callback writes U+001A for some codepages.  The
 * spec hands ASCII bytes after the first byte of a failed sequence back
 * to the decoder (they are never part of the error); ICU takes them into
 * an unmapped sequence, so they are written here after the U+FFFD (an
 * ASCII byte is itself in every encoding ICU decodes for us here).
 */

static void
nv8_encoding_substitute(const void *context, UConverterToUnicodeArgs *args,
    const char *units, int32_t length, UConverterCallbackReason reason,
    UErrorCode *err)
{
    UChar    out[8];
    int32_t  i, n, k;

    if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL
        && reason != UCNV_IRREGULAR)
    {
        return;                             /* reset, close, clone */
    }

    if (nv8_encoding_lone80(context, args, units, length, err)) {
        return;
    }

    out[0] = 0xfffd;
    n = 1;

    /* the ASCII bytes that end the sequence, after its first byte */
    for (k = length; k > 1 && (unsigned char) units[k - 1] < 0x80; k--) {
        /* void */
    }

    for (i = k; i < length && n < 8; i++) {
        out[n++] = (unsigned char) units[i];
    }

    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, out, n, 0, err);
}


static void
nv8_encoding_free(void *data)
{
    ucnv_close(data);
}
