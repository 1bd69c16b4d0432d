/* check.h -- a tiny assertion helper shared by the C tests. */
#ifndef RZ_CHECK_H
#define RZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;

/* Records a failure (with its line) without stopping, so one run reports all. */
#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
            check_failures++;                                               \
        }                                                                   \
    } while (0)

/* An int comparison that prints both values when it fails. */
#define CHECK_EQ(got, want)                                                   \
    do {                                                                      \
        long check_got_ = (long)(got), check_want_ = (long)(want);            \
        if (check_got_ != check_want_) {                                      \
            fprintf(stderr, "%s:%d: %s is %ld, expected %ld\n", __FILE__,     \
                    __LINE__, #got, check_got_, check_want_);                 \
            check_failures++;                                                 \
        }                                                                     \
    } while (0)

/* A string comparison; a NULL string never matches. */
#define CHECK_STR(got, want)                                                  \
    do {                                                                      \
        const char *check_s_ = (got);                                         \
        if (check_s_ == NULL || strcmp(check_s_, (want)) != 0) {              \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n",         \
                    __FILE__, __LINE__, #got,                                 \
                    check_s_ ? check_s_ : "(null)", (want));                  \
            check_failures++;                                                 \
        }                                                                     \
    } while (0)

/* Ends main: prints a summary and returns the exit status. */
static int check_done(const char *name) {
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
