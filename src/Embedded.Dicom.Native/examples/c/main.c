/*
 * edicom_example: verify a PACS with C-ECHO, then (optionally) send one Part 10 file with C-STORE.
 *
 *   edicom_example HOST PORT [FILE SOP_CLASS_UID]
 *
 * Exit status: 0 when everything succeeded. Errors print the library's last-error message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <edicom.h>

static edicom_str text(const char *s)
{
    edicom_str value = { s, strlen(s) };
    return value;
}

static int fail(const char *what)
{
    char message[512];
    edicom_last_error(message, sizeof message, NULL);
    fprintf(stderr, "%s failed: %s\n", what, message);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT [FILE SOP_CLASS_UID]\n", argv[0]);
        return 2;
    }

    if (edicom_abi_version() != EDICOM_ABI_VERSION) {
        fprintf(stderr, "libedicom ABI %u, header %u: rebuild against the installed header\n", edicom_abi_version(), EDICOM_ABI_VERSION);
        return 2;
    }

    edicom_init();
    edicom_client_config config;
    edicom_client_config_init(&config);
    config.host = text(argv[1]);
    config.port = (uint16_t)atoi(argv[2]);
    config.calling_ae = text("FIRMWARE");

    edicom_result result;
    if (edicom_echo(&config, &result) != EDICOM_OK)
        return fail("C-ECHO");
    printf("C-ECHO: status 0x%04X\n", result.status);

    if (argc == 5) {
        edicom_str sop_class = text(argv[4]);
        edicom_handle association = 0;
        if (edicom_association_open(&config, &sop_class, 1, NULL, 0, &association) != EDICOM_OK)
            return fail("association");
        int code = edicom_store_file(association, argv[3], strlen(argv[3]), &result);
        edicom_association_close(association);
        if (code != EDICOM_OK)
            return fail("C-STORE");
        printf("C-STORE: status 0x%04X\n", result.status);
    }

    return 0;
}
