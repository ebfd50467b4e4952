/*
 * The agent's C ABI as a firmware program uses it: hand objects to a running `edicom agent` (file and memory),
 * read its queue and its status inputs, and see the error paths. Compiled with gcc and aarch64-linux-gnu-gcc
 * against the published header and libedicom.so by NativeAgentTests, which starts the agent and its SCP.
 *   agent CONFIG PART10_FILE NOT_DICOM_FILE
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "edicom.h"

static_assert(sizeof(edicom_agent_status) == 80, "edicom_agent_status");
static_assert(offsetof(edicom_agent_status, destinations) == 20, "destinations");
static_assert(offsetof(edicom_agent_status, awaiting_commitment) == 28, "awaiting_commitment");
static_assert(offsetof(edicom_agent_status, queue_depth) == 32, "queue_depth");
static_assert(offsetof(edicom_agent_status, oldest_age_ms) == 40, "oldest_age_ms");
static_assert(offsetof(edicom_agent_status, quarantined) == 72, "quarantined");
static_assert(sizeof(edicom_input_state) == 40, "edicom_input_state");
static_assert(offsetof(edicom_input_state, active) == 32, "active");

static int failures;
static int checks;

static void check(int condition, const char *what)
{
    checks++;
    if (condition) {
        printf("ok %d - %s\n", checks, what);
    } else {
        char error[512];
        edicom_last_error(error, sizeof error, NULL);
        printf("not ok %d - %s (last error: %s)\n", checks, what, error);
        failures++;
    }
}

static edicom_str S(const char *text) { edicom_str s = { text, strlen(text) }; return s; }

/* Explicit VR Little Endian: (0008,0016) and (0008,0018) UI, (0010,0010) PN. */
static size_t build_dataset(uint8_t *out, const char *sop_class, const char *instance)
{
    const char *values[3] = { sop_class, instance, "AGENT^C" };
    const uint16_t tags[3][2] = { { 0x0008, 0x0016 }, { 0x0008, 0x0018 }, { 0x0010, 0x0010 } };
    const char *vrs[3] = { "UI", "UI", "PN" };
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(values[i]);
        size_t padded = len + (len & 1);
        out[n++] = tags[i][0] & 0xFF; out[n++] = tags[i][0] >> 8;
        out[n++] = tags[i][1] & 0xFF; out[n++] = tags[i][1] >> 8;
        out[n++] = vrs[i][0]; out[n++] = vrs[i][1];
        out[n++] = padded & 0xFF; out[n++] = (padded >> 8) & 0xFF;
        memcpy(out + n, values[i], len);
        if (padded != len) out[n + len] = i < 2 ? 0 : ' ';
        n += padded;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: agent CONFIG PART10_FILE NOT_DICOM_FILE\n");
        return 2;
    }
    edicom_str config = S(argv[1]);
    edicom_str file = S(argv[2]);
    edicom_str junk = S(argv[3]);

    edicom_agent_status status;
    memset(&status, 0xAB, sizeof status);
    check(edicom_agent_status_get(&config, &status) == EDICOM_OK && status.running == 1, "status from the running agent");
    check(status.destinations == 1 && status.held == 0 && status.paused == 0 && status.intake_stopped == 0, "status fields");

    size_t count = 0;
    check(edicom_agent_inputs(&config, NULL, 0, &count) == EDICOM_E_BUFFER_TOO_SMALL && count == 4, "inputs: buffer too small names the count");
    edicom_input_state inputs[8];
    check(edicom_agent_inputs(&config, inputs, 8, &count) == EDICOM_OK && count == 4, "inputs snapshot");
    int exposure = 0;
    for (size_t i = 0; i < count; i++) {
        printf("# input %s = %d\n", inputs[i].name, inputs[i].active);
        if (strcmp(inputs[i].name, "exposure-active") == 0 && inputs[i].active == 0) exposure = 1;
    }
    check(exposure, "exposure-active is listed and inactive");

    check(edicom_agent_enqueue_file(&config, &file) == EDICOM_OK, "enqueue a Part 10 file");

    uint8_t data[256];
    size_t len = build_dataset(data, "1.2.840.10008.5.1.4.1.1.7", "1.2.826.0.1.3680043.10.1000.7");
    edicom_str sc = S("1.2.840.10008.5.1.4.1.1.7"), instance = S("1.2.826.0.1.3680043.10.1000.7"), ts = S("1.2.840.10008.1.2.1");
    check(edicom_agent_enqueue_memory(&config, &sc, &instance, &ts, data, len) == EDICOM_OK, "enqueue a data set from memory");

    /* Error paths: codes, never a crash, and nothing reaches the incoming folder. */
    check(edicom_agent_enqueue_memory(&config, &sc, &instance, &ts, data, len - 1) == EDICOM_E_INVALID_ARGUMENT, "odd length refused");
    check(edicom_agent_enqueue_file(&config, &junk) == EDICOM_E_IO, "a file that is not DICOM is refused with EDICOM_E_IO");
    edicom_str missing = S("/nonexistent/agent.json");
    check(edicom_agent_status_get(&missing, &status) == EDICOM_E_INVALID_ARGUMENT, "missing configuration");
    check(edicom_agent_status_get(NULL, &status) == EDICOM_E_INVALID_ARGUMENT, "NULL config");
    check(edicom_agent_inputs(&config, NULL, 4, &count) == EDICOM_E_INVALID_ARGUMENT, "NULL inputs with a capacity");

    /* Both objects delivered: the queue drains and the agent counts them. */
    int drained = 0;
    for (int i = 0; i < 600 && !drained; i++) {
        if (edicom_agent_status_get(&config, &status) == EDICOM_OK && status.received == 2 && status.queue_depth == 0 && status.sent == 2) {
            drained = 1;
        } else {
            struct timespec pause = { 0, 50 * 1000 * 1000 };
            nanosleep(&pause, NULL);
        }
    }
    check(drained, "both objects delivered (queue_depth 0, sent 2)");
    check(status.oldest_age_ms == -1 && status.failed == 0 && status.quarantined == 0, "nothing failed or quarantined");

    printf("agent harness: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
