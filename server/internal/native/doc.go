// Package native is the embedded server's connection layer for CQL over
// the native protocol: it frames, decodes, dispatches and answers requests
// as a single Cassandra 3.11 node does (org.apache.cassandra.transport:
// Frame, Message, ServerConnection, the messages), and hands QUERY,
// PREPARE, EXECUTE and BATCH to a Backend, the executor.
//
// Frames and messages are encoded and decoded with
// github.com/datastax/go-cassandra-native-protocol (packages message,
// primitive, datatype, compression/lz4, compression/snappy). Three parts
// are done by hand, each because the library cannot do it for a server:
// the 9-byte header (3.11 answers frames whose version, opcode or length
// the library refuses to decode, and answers v1/v2 clients in their 8-byte
// header); a walk over every request body with 3.11's CBUtil rules before
// the library decodes it (the library allocates whatever length a body
// claims and reports its own errors, not 3.11's); and the response body
// prefix (the library writes the custom payload before the warnings, 3.11
// and the drivers the other way round).
//
// # Serving
//
// A Server is created once with NewServer and serves each accepted
// connection with Serve, which returns when the connection ends; TLS,
// connection limits and the accept loop are the caller's. The executor
// publishes schema changes with Server.Publish.
//
//	srv, err := native.NewServer(native.Config{Backend: executor})
//	for {
//		nc, err := ln.Accept()
//		...
//		go srv.Serve(ctx, nc)
//	}
//
// # What 3.11 does, and so does this package
//
// Versions: v4 and v3 are served; the first frame fixes a connection's
// version. Any other version gets 3.11's protocol error: in a v1/v2 header
// for v1 and v2, otherwise in a v5-beta header (0x85, flag USE_BETA) on
// stream 0 ("Beta version of the protocol used (5/v5-beta), but USE_BETA
// flag is unset" for v5, "Invalid or unsupported protocol version (n); ..."
// for the others), which makes gocql, the Python driver and the Node.js
// driver retry with v4. The connection is then closed (3.11 leaves it
// open but can never read another frame from it).
//
// States: UNINITIALIZED accepts STARTUP and OPTIONS, AUTHENTICATION only
// AUTH_RESPONSE, READY everything but STARTUP; anything else is a protocol
// error on the request's stream, with 3.11's texts. STARTUP requires
// CQL_VERSION >= 3.0.0 and takes COMPRESSION (lz4, snappy),
// THROW_ON_OVERLOAD and NO_COMPACT. With an Authenticator, STARTUP is
// answered AUTHENTICATE (PasswordAuthenticator) and AUTH_RESPONSE carries a
// SASL PLAIN token. REGISTER subscribes to TOPOLOGY_CHANGE, STATUS_CHANGE,
// SCHEMA_CHANGE (and TRACE_COMPLETE from v4, never sent); events go out on
// stream -1.
//
// Streams: a connection's statements run concurrently, at most
// Config.MaxConcurrentRequests at once, and are answered as they finish,
// each on its request's stream; every frame is written whole.
//
// Errors: an unknown opcode or a frame travelling the wrong way is answered
// on its stream and ends the connection; an oversized frame is skipped and
// answered Invalid "Request is too big: ..."; a frame of another version is
// answered "Invalid message version ..."; a body 3.11 cannot decode gets
// 3.11's protocol error (or the ServerError its Netty bounds check gives)
// on the request's stream, or on stream 0 for a broken custom payload or
// compressed body, as 3.11 raises those outside its per-frame wrapper. A
// panic in the Backend answers ServerError to that request only.
//
// Compression: once STARTUP chose lz4 or snappy, every frame the server
// writes is compressed, starting with the READY (Frame.Compressor), and
// compressed request bodies are uncompressed; a compressed flag on a
// connection without compression is ignored.
package native
