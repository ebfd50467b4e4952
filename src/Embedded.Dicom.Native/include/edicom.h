/*
 * edicom.h — the C ABI of Embedded.Dicom (libedicom.so): DICOM networking (PS3.7 DIMSE over the PS3.8
 * upper layer) for firmware on linux-x64 and linux-arm64.
 *
 * Version: EDICOM_ABI_VERSION below; check edicom_abi_version() at start-up and refuse to run when it
 * differs from the header you compiled against.
 *
 * Conventions (all functions):
 *  - Every function returns an edicom_code: EDICOM_OK (0) or a negative error. On failure, the calling
 *    thread's last-error message (edicom_last_error) says why, in one line. Errors never abort the process.
 *  - Strings are UTF-8, passed as pointer + length (no terminator needed); strings the library writes into
 *    your buffers are NUL-terminated.
 *  - Buffers and structs are owned by the caller. The library never keeps a pointer you pass after the call
 *    returns, except the user pointers of callbacks (kept until the handle is closed or stopped).
 *  - Handles (edicom_handle) are opaque 64-bit values; 0 is never valid. A closed or forged handle gives
 *    EDICOM_E_INVALID_HANDLE, never a crash.
 *  - Threads: any thread may call any function. One association handle runs one operation at a time (a
 *    concurrent call on the same handle gets EDICOM_E_BUSY; use one association per thread, or serialize).
 *    Callbacks may run on library-owned threads: keep them short, thread-safe and non-blocking.
 *  - The runtime starts lazily on the first call (about 1 ms on x86-64, more on a board): call
 *    edicom_init() at boot to pay it there. The library cannot be unloaded (dlclose does not unload it).
 */
#ifndef EDICOM_H
#define EDICOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version of this header. Incremented on any incompatible change of a function or struct. */
#define EDICOM_ABI_VERSION 1u

/* ---- Return codes (edicom_code) ------------------------------------------------------------------ */
typedef int32_t edicom_code;
#define EDICOM_OK                     0   /* success (for C-STORE/C-ECHO: DIMSE status Success or Warning) */
#define EDICOM_E_INVALID_ARGUMENT    -1   /* a NULL pointer, a bad length, an invalid UID or AE title */
#define EDICOM_E_INVALID_HANDLE      -2   /* the handle is 0, closed, or was never returned by the library */
#define EDICOM_E_BUFFER_TOO_SMALL    -3   /* the output buffer is too small; *needed says how many bytes */
#define EDICOM_E_BUSY                -4   /* another call is using this association, or no handle is free */
#define EDICOM_E_CONNECT            -10   /* cannot connect (unknown host, refused, connect timeout) or listen */
#define EDICOM_E_REJECTED           -11   /* the peer answered A-ASSOCIATE-RJ (the message names the reason) */
#define EDICOM_E_ABORTED            -12   /* the peer sent A-ABORT; the association is gone */
#define EDICOM_E_PROTOCOL           -13   /* the peer broke PS3.7/PS3.8; we sent A-ABORT */
#define EDICOM_E_TIMEOUT            -14   /* no answer within the configured timeout; we sent A-ABORT */
#define EDICOM_E_CLOSED             -15   /* the connection closed, or the association was already ended */
#define EDICOM_E_NO_CONTEXT         -16   /* the peer accepted no presentation context for this SOP class/syntax */
#define EDICOM_E_IO                 -17   /* a local file could not be read or is not DICOM Part 10 */
#define EDICOM_E_CANCELLED          -18   /* cancelled (edicom_association_cancel or the progress callback) */
#define EDICOM_E_DIMSE_STATUS       -20   /* the peer answered with a non-success status (see edicom_result) */
#define EDICOM_E_INTERNAL           -99   /* a bug: the message has the details */

/* ---- Status classes of a DIMSE status (PS3.7 Annex C), edicom_result.status_class ------------------ */
#define EDICOM_STATUS_UNKNOWN 0
#define EDICOM_STATUS_SUCCESS 1
#define EDICOM_STATUS_WARNING 2
#define EDICOM_STATUS_FAILURE 3
#define EDICOM_STATUS_CANCEL  4
#define EDICOM_STATUS_PENDING 5

/* ---- Types ------------------------------------------------------------------------------------------ */

/** UTF-8 text: pointer + length in bytes. ptr may be NULL only when len is 0. */
typedef struct edicom_str {
    const char *ptr;
    size_t len;
} edicom_str;

/** Opaque handle of an association or an SCP; 0 is never valid. */
typedef uint64_t edicom_handle;

/**
 * Where and how to connect (SCU). Initialise with edicom_client_config_init(), then set the fields.
 * Strings must stay valid during the call that uses the config only. 0 in a numeric field = the default.
 */
typedef struct edicom_client_config {
    uint32_t struct_size;        /* set by edicom_client_config_init; checked against the library's */
    uint16_t port;               /* peer TCP port (default 104) */
    uint16_t reserved0;
    edicom_str host;             /* peer host name or address (required) */
    edicom_str calling_ae;       /* our AE title (default "EDICOM") */
    edicom_str called_ae;        /* the peer's AE title (default "ANY-SCP") */
    uint32_t max_pdu;            /* Maximum Length we announce, 4096..16777216 (default 131072) */
    uint32_t connect_timeout_ms; /* TCP connect (default 10000) */
    uint32_t acse_timeout_ms;    /* A-ASSOCIATE-AC/RJ and A-RELEASE-RP (default 30000) */
    uint32_t dimse_timeout_ms;   /* each DIMSE response (default 30000) */
    uint32_t idle_timeout_ms;    /* reserved for SCU use (default 120000) */
    uint32_t max_operations_invoked; /* C-STOREs to keep in flight (PS3.7 D.3.3.3); >1 proposes a window (default 1) */
} edicom_client_config;

/**
 * The outcome of one operation. `code` equals the function's return value. A DIMSE response, when one
 * arrived, is in status/status_class with its Error Comment; transport and association failures have
 * has_response = 0. A failure is never reported as EDICOM_OK.
 */
typedef struct edicom_result {
    int32_t code;                /* edicom_code */
    uint16_t status;             /* (0000,0900) Status, e.g. 0x0000, 0xA700 */
    uint8_t status_class;        /* EDICOM_STATUS_* */
    uint8_t has_response;        /* 1 when a DIMSE response arrived */
    uint16_t message_id;         /* Message ID of the request (matches the response) */
    uint16_t reserved;
    char error_comment[68];      /* (0000,0902) Error Comment, NUL-terminated, empty when none */
} edicom_result;

/** Pull callback for edicom_store_stream: fill buf with up to cap bytes; return the count, 0 at the end, <0 on error. */
typedef int64_t (*edicom_read_fn)(void *user, uint8_t *buf, size_t cap);

/**
 * Completion callback of edicom_store_files: `index` into the paths given, and the object's result (status,
 * class, Error Comment, message ID). Called once per object, in the order responses arrive, possibly on a
 * library thread; `result` is valid during the call only.
 */
typedef void (*edicom_store_completed_fn)(void *user, size_t index, const edicom_result *result);

/** Progress callback: bytes of the data set sent so far and the total (0 when unknown); return non-zero to cancel. */
typedef int32_t (*edicom_progress_fn)(void *user, uint64_t bytes_sent, uint64_t bytes_total);

/** Logging callback: level 0 debug, 1 info, 2 warning, 3 error; association id 0 when none; message is not NUL-terminated. */
typedef void (*edicom_log_fn)(void *user, int32_t level, uint32_t association_id, const char *message, size_t message_len);

/** What the SCP received; the strings are valid during the callback only. path.len is 0 when discarding. */
typedef struct edicom_object_info {
    edicom_str sop_class;
    edicom_str sop_instance;     /* as received; may be malformed (the file name is then a safe hash) */
    edicom_str transfer_syntax;
    edicom_str calling_ae;
    edicom_str path;             /* the stored Part 10 file (already flushed and renamed into place) */
    uint64_t size;               /* bytes of the data set */
} edicom_object_info;

/** SCP accept hook: the caller's AE title and IP address; return non-zero to accept (0 answers A-ASSOCIATE-RJ 1/1/1). */
typedef int32_t (*edicom_accept_fn)(void *user, const edicom_str *calling_ae, const edicom_str *address);

/** SCP per-object callback: its return value becomes the C-STORE status (0x0000 success, 0xA700 out of resources, ...). */
typedef uint16_t (*edicom_object_fn)(void *user, const edicom_object_info *info);

/** SCP settings. Initialise with edicom_scp_config_init(). */
typedef struct edicom_scp_config {
    uint32_t struct_size;
    uint16_t port;               /* 0: any free port (see edicom_scp_port) */
    uint16_t max_operations_invoked; /* window granted to SCUs that propose one (default 1: synchronous) */
    edicom_str ae_title;         /* our AE title (default "EDICOM") */
    edicom_str bind_address;     /* IP address to bind (default "127.0.0.1") */
    edicom_str output_dir;       /* folder for received objects; empty: receive and discard */
    uint32_t max_pdu;            /* Maximum Length we announce (default 131072) */
    uint32_t max_associations;   /* concurrent associations (default 16) */
    edicom_accept_fn accept;     /* optional */
    edicom_object_fn on_object;  /* optional; without it every stored object is answered 0x0000 */
    void *user;                  /* passed to both callbacks; must stay valid until edicom_scp_stop */
} edicom_scp_config;

/* ---- Library ----------------------------------------------------------------------------------------- */

/** The ABI version of the loaded library; compare with EDICOM_ABI_VERSION. Never fails. */
uint32_t edicom_abi_version(void);

/** The library version ("0.1.0") into buf (NUL-terminated). *needed (optional) gets the size required. */
edicom_code edicom_version(char *buf, size_t cap, size_t *needed);

/**
 * The calling thread's last error message into buf (NUL-terminated, empty when none). Each thread has its
 * own; it stays until that thread's next failure. *needed (optional) gets the size required.
 */
edicom_code edicom_last_error(char *buf, size_t cap, size_t *needed);

/** Starts the runtime now instead of on the first call. Optional; safe to call more than once. */
edicom_code edicom_init(void);

/**
 * Bytes allocated so far by the library's managed heap, on all its threads (diagnostics: read it around a
 * loop of operations to check the allocation-free steady state of, e.g., edicom_association_echo).
 */
edicom_code edicom_allocated_bytes(uint64_t *bytes);

/** Sets (or, with NULL, removes) the logging callback for the whole library. `user` is kept. */
edicom_code edicom_set_log_callback(edicom_log_fn callback, void *user);

/* ---- SCU: C-ECHO and C-STORE --------------------------------------------------------------------------- */

/** Fills *config with defaults (and struct_size). */
edicom_code edicom_client_config_init(edicom_client_config *config);

/** Opens an association, sends one C-ECHO, releases. `result` is optional. */
edicom_code edicom_echo(const edicom_client_config *config, edicom_result *result);

/**
 * Opens an association proposing Verification and each SOP class in `sop_classes` (at most 127) with the
 * given extra transfer syntaxes plus Explicit and Implicit VR Little Endian. On success *handle is the
 * association: reuse it for many C-STOREs, then edicom_association_close (or _abort). Blocks until the
 * peer answers (ACSE timeout).
 */
edicom_code edicom_association_open(const edicom_client_config *config,
                                    const edicom_str *sop_classes, size_t sop_class_count,
                                    const edicom_str *transfer_syntaxes, size_t transfer_syntax_count,
                                    edicom_handle *handle);

/** C-ECHO on an open association. Allocation-free in steady state. */
edicom_code edicom_association_echo(edicom_handle association, edicom_result *result);

/**
 * C-STORE of a Part 10 file (path: UTF-8, pointer + length), streamed from disk. The file's SOP class must
 * have been proposed at open; it is converted Explicit <-> Implicit VR LE when the peer accepted only the other.
 * Allocation-free in steady state when the file is sent as it is (its transfer syntax accepted): the file is
 * opened once per call with open(2) on the path bytes and read with pread(2), into buffers kept per
 * association. A file whose data set is converted, and an error (missing file, not Part 10), cost a few
 * managed objects.
 */
edicom_code edicom_store_file(edicom_handle association, const char *path, size_t path_len, edicom_result *result);

/**
 * C-STORE of a data set held in memory (no Part 10 header; even length), already in `transfer_syntax`,
 * which the peer must have accepted for `sop_class`. `data` is read in place during the call only.
 * Allocation-free in steady state (also when our own SCP, in this process, receives it without output_dir).
 */
edicom_code edicom_store_memory(edicom_handle association, const edicom_str *sop_class, const edicom_str *sop_instance,
                                const edicom_str *transfer_syntax, const uint8_t *data, size_t len, edicom_result *result);

/**
 * C-STORE of a data set pulled from `read(user, buf, cap)` piece by piece (detector frames never held whole),
 * in `transfer_syntax`. read is called on the calling thread until it returns 0. Allocation-free in steady state.
 */
edicom_code edicom_store_stream(edicom_handle association, const edicom_str *sop_class, const edicom_str *sop_instance,
                                const edicom_str *transfer_syntax, edicom_read_fn read, void *user, edicom_result *result);

/**
 * C-STORE of several Part 10 files on one association, keeping up to the granted asynchronous-operations
 * window of C-STOREs in flight (edicom_association_window; 1 = one at a time). `completed` is called for
 * every object whose response arrived or that could not be sent (code EDICOM_E_IO / EDICOM_E_NO_CONTEXT).
 * Returns EDICOM_OK when every object was stored (Success or Warning), EDICOM_E_DIMSE_STATUS when at least
 * one was not (answered with a failure, or not sent), or the association error that stopped the batch
 * (objects still in flight then get no callback). Files are taken one at a time as the window allows, each
 * read as edicom_store_file reads it: allocation-free in steady state when they are sent as they are.
 */
edicom_code edicom_store_files(edicom_handle association, const edicom_str *paths, size_t count,
                               edicom_store_completed_fn completed, void *user);

/** The asynchronous-operations window the peer granted: how many operations may be in flight (1 = synchronous). */
edicom_code edicom_association_window(edicom_handle association, uint32_t *invoked);

/** Sets (or removes, with NULL) the progress callback of an association's C-STOREs. `user` is kept until close. */
edicom_code edicom_association_set_progress(edicom_handle association, edicom_progress_fn progress, void *user);

/**
 * Cancels the operation running on `association` from another thread: it returns EDICOM_E_CANCELLED and the
 * association is aborted (it cannot be reused after a send that stopped part-way).
 */
edicom_code edicom_association_cancel(edicom_handle association);

/** 1 when the association can carry operations, 0 when it has ended (open a new one), <0 for a bad handle. */
edicom_code edicom_association_is_open(edicom_handle association);

/** Releases the association (A-RELEASE) and frees the handle; the handle is invalid afterwards. */
edicom_code edicom_association_close(edicom_handle association);

/** Aborts the association (A-ABORT) and frees the handle. */
edicom_code edicom_association_abort(edicom_handle association);

/* ---- SCP: Verification and Storage ----------------------------------------------------------------------- */

/** Fills *config with defaults (and struct_size). */
edicom_code edicom_scp_config_init(edicom_scp_config *config);

/**
 * Starts an SCP that accepts Verification and every Storage SOP class (PS3.4 Annex B). Returns when it
 * listens. Received objects are written as Part 10 files (temporary name, flushed, renamed; a full disk
 * answers 0xA700) or discarded; then `on_object` decides the status.
 */
edicom_code edicom_scp_start(const edicom_scp_config *config, edicom_handle *handle);

/** The TCP port the SCP listens on (useful with port 0). */
edicom_code edicom_scp_port(edicom_handle scp, uint16_t *port);

/** Stops listening, ends running associations and frees the handle. */
edicom_code edicom_scp_stop(edicom_handle scp);

/* ---- Store-and-forward agent ----------------------------------------------------------------------------- */
/*
 * The agent runs as its own process (`edicom agent --board NAME --config FILE`, typically a systemd service),
 * so that a crash of the firmware never loses what it queued. These functions hand it objects and read its
 * state. `config` is the path of the agent's configuration file (UTF-8); the library reads it on each call
 * to find the incoming folder, the spool and the control socket. All of them block the calling thread (file
 * I/O, fsync, one round trip on a local socket) and may be called from any thread.
 */

/** Queue state of an agent (80 bytes). */
typedef struct edicom_agent_status {
    int32_t running;              /* 1: the running agent answered; 0: it is stopped, the rest is read from its spool */
    int32_t held;                 /* a hold-while input is active: no network traffic */
    int32_t paused;               /* a pause-on input is active: no intake, no delivery */
    int32_t waiting_for_flush;    /* objects wait for a flush-on input */
    int32_t intake_stopped;       /* the agent cannot take files (e.g. its spool disk is full); see edicom agent status */
    uint32_t destinations;        /* destinations configured or with records in the spool */
    uint32_t destinations_failing;/* destinations whose last attempt failed (backing off) */
    uint32_t awaiting_commitment; /* objects stored at a destination and kept until it commits them (storageCommitment
                                     policy; summed over destinations); 0 without that policy. Was "reserved" (0). */
    uint64_t queue_depth;         /* objects not yet delivered to every destination */
    int64_t oldest_age_ms;        /* age of the oldest queued object, -1 when the queue is empty */
    uint64_t failed;              /* failed records (objects a destination refused), all destinations */
    uint64_t sent;                /* objects delivered since the agent started (0 when stopped) */
    uint64_t received;            /* files taken from the incoming folder since the agent started */
    uint64_t quarantined;         /* invalid files set aside since the agent started */
} edicom_agent_status;

/** One status input of the agent's board (40 bytes). */
typedef struct edicom_input_state {
    char name[32];                /* the input's role, NUL-terminated, e.g. "exposure-active" */
    int32_t active;               /* 1 active, 0 inactive (after active-low and debounce) */
    int32_t reserved;
} edicom_input_state;

/**
 * Queues a Part 10 file for the agent: validates it (meta group and the whole data set; EDICOM_E_IO with the
 * reason when invalid), copies it into the agent's incoming folder under a hidden name, fsyncs, renames it into
 * place and syncs the folder. When it returns EDICOM_OK the object survives a power cut and the agent takes it
 * (now, or when it starts). The caller keeps its file. `path` is read during the call only.
 */
edicom_code edicom_agent_enqueue_file(const edicom_str *config, const edicom_str *path);

/**
 * As edicom_agent_enqueue_file, for a data set held in memory (no Part 10 header, even length, already in
 * `transfer_syntax`): the meta group is built from the three UIDs. `data` is read during the call only.
 */
edicom_code edicom_agent_enqueue_memory(const edicom_str *config, const edicom_str *sop_class, const edicom_str *sop_instance,
                                        const edicom_str *transfer_syntax, const uint8_t *data, size_t len);

/**
 * Fills *status from the running agent (control socket) or, when none answers, from its spool folder
 * (status->running = 0). EDICOM_E_INVALID_ARGUMENT when the configuration file is missing or invalid.
 */
edicom_code edicom_agent_status_get(const edicom_str *config, edicom_agent_status *status);

/**
 * Snapshot of the board's status inputs, from the running agent. Writes up to `capacity` entries into
 * `inputs` and the number the board has into *count; EDICOM_E_BUFFER_TOO_SMALL when that exceeds `capacity`
 * (nothing written), EDICOM_E_CONNECT when no agent runs.
 */
edicom_code edicom_agent_inputs(const edicom_str *config, edicom_input_state *inputs, size_t capacity, size_t *count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EDICOM_H */
