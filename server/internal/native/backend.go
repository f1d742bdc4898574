package native

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/auth"
)

// Backend executes the statements of native-protocol connections: the
// executor implements it. Each method gets the connection's Session and the
// decoded request, and returns the answer. Methods are called concurrently,
// also for one connection (3.11 runs a connection's requests in parallel
// and answers them out of order); a method must not keep the request after
// it returns. A panic is answered as a ServerError to that request alone.
//
// The options a request carries (Query.Options, Execute.Options) mean what
// they mean in 3.11's QueryOptions: PageSize is -1 when the client set no
// page size. A QUERY with page size 0 never reaches the backend (it is
// answered "The page size cannot be 0"); an EXECUTE does, because 3.11
// looks the statement up first: Execute answers Unprepared for an unknown
// id and then MsgPageSizeZero as a protocol error when PageSize is 0
// (ExecuteMessage.execute). Skip_metadata is applied by the connection:
// the backend always returns full Rows metadata.
type Backend interface {
	// Query runs a QUERY (QueryMessage.execute).
	Query(ctx context.Context, s *Session, q *message.Query) Response
	// Prepare runs a PREPARE and answers a *message.PreparedResult
	// (PrepareMessage.execute).
	Prepare(ctx context.Context, s *Session, p *message.Prepare) Response
	// Execute runs an EXECUTE of a prepared statement
	// (ExecuteMessage.execute).
	Execute(ctx context.Context, s *Session, e *message.Execute) Response
	// Batch runs a BATCH (BatchMessage.execute).
	Batch(ctx context.Context, s *Session, b *message.Batch) Response
}

// MsgPageSizeZero is the protocol error 3.11 answers to a page size of 0.
const MsgPageSizeZero = "The page size cannot be 0"

// Response is a Backend's answer to one request.
type Response struct {
	// Message is a RESULT (*message.VoidResult, *message.RowsResult,
	// *message.SetKeyspaceResult, *message.PreparedResult,
	// *message.SchemaChangeResult) or an ERROR (any message.Error, e.g.
	// *message.Invalid, *message.SyntaxError, *message.Unprepared,
	// *message.AlreadyExists, *message.Unavailable, *message.ReadTimeout,
	// *message.WriteTimeout, *message.Unauthorized, *message.ConfigError,
	// *message.ServerError, *message.Overloaded, *message.ReadFailure,
	// *message.WriteFailure, *message.FunctionFailure,
	// *message.ProtocolError). Anything else, or nil, is answered as a
	// ServerError. Write it for protocol v4: the connection rewrites what
	// a v3 client cannot read (read/write failures become timeouts,
	// function failures Invalid, function and aggregate schema changes
	// UPDATED KEYSPACE, date/time/smallint/tinyint/duration columns
	// Custom). A *message.SetKeyspaceResult also makes its keyspace the
	// session's, as USE does. The message is only read, never modified, so
	// it may be shared.
	Message message.Message
	// Warnings are sent with the WARNING flag (v4 and later; dropped for
	// v3, as 3.11 does), e.g. the batch-size warnings of BatchStatement.
	Warnings []string
	// CustomPayload is sent with the CUSTOM_PAYLOAD flag (v4 and later).
	CustomPayload map[string][]byte
	// TracingID, when set, is sent with the TRACING flag as the id of the
	// trace session. 3.11 creates a trace session when a request carries
	// the TRACING flag (see TracingRequested); a backend that records no
	// trace leaves it nil and the answer carries no id, so drivers ask
	// system_traces for nothing.
	TracingID *primitive.UUID
	// Drop closes the connection instead of answering, as a node that
	// crashed or was cut off looks to the client (fault injection): the
	// requests running on it get no answer either. Message is ignored.
	Drop bool
}

// Reply is a Response holding only m.
func Reply(m message.Message) Response { return Response{Message: m} }

type tracingKey struct{}

// TracingRequested reports whether the request being executed carried the
// TRACING flag.
func TracingRequested(ctx context.Context) bool {
	b, _ := ctx.Value(tracingKey{}).(bool)
	return b
}

// Authenticator checks the credentials of a SASL PLAIN exchange, as 3.11's
// PasswordAuthenticator does once its PlainTextSaslAuthenticator has split
// the token. With an Authenticator configured, STARTUP is answered
// AUTHENTICATE naming PasswordAuthenticatorClass and every request but
// AUTH_RESPONSE is refused until a login succeeds.
type Authenticator interface {
	// Authenticate returns the logged-in user, or an error. The error's
	// text is sent as the ERROR 0x0100 message when it is an *AuthError;
	// any other error is sent as PasswordAuthenticator's
	// "Provided username <u> and/or password are incorrect".
	Authenticate(ctx context.Context, username, password string) (user string, err error)
}

// PasswordAuthenticatorClass is the authenticator class AUTHENTICATE names;
// drivers' plain-text authenticators accept it.
const PasswordAuthenticatorClass = "org.apache.cassandra.auth.PasswordAuthenticator"

// AnonymousUser is the user of every session when no Authenticator is
// configured (AuthenticatedUser.ANONYMOUS_USERNAME).
const AnonymousUser = auth.AnonymousUser

// AuthError is an authentication failure whose Message is sent as is.
type AuthError struct {
	Message string
}

// Error returns the message sent to the client.
func (e *AuthError) Error() string { return e.Message }

// badCredentials is PasswordAuthenticator's text for a refused login.
func badCredentials(user string) string {
	return fmt.Sprintf("Provided username %s and/or password are incorrect", user)
}

// CredentialsFunc adapts a Thrift-style credentials check (the server's
// Authenticator.Authenticate, taking {"username": u, "password": p}) to an
// Authenticator. Any failure is answered with PasswordAuthenticator's text.
type CredentialsFunc func(credentials map[string]string) (string, error)

// Authenticate calls f with the username and password.
func (f CredentialsFunc) Authenticate(_ context.Context, username, password string) (string, error) {
	return f(map[string]string{auth.UsernameKey: username, auth.PasswordKey: password})
}

// ErrNoBackend is returned by NewServer for a Config without a Backend.
var ErrNoBackend = errors.New("native: Config.Backend is nil")

// Session is the per-connection state 3.11 keeps in ClientState and
// ServerConnection: what the executor needs to run a statement. It lives
// as long as the connection; its methods are safe for concurrent use.
type Session struct {
	id      uint64
	version primitive.ProtocolVersion
	remote  net.Addr
	local   net.Addr

	mu        sync.RWMutex
	keyspace  string
	user      string
	options   map[string]string
	noCompact bool
}

var sessionIDs atomic.Uint64

// ID is unique among the sessions of this process, for logs.
func (s *Session) ID() uint64 { return s.id }

// Version is the connection's protocol version (3 or 4), fixed by its first
// frame.
func (s *Session) Version() primitive.ProtocolVersion { return s.version }

// RemoteAddr is the client's address.
func (s *Session) RemoteAddr() net.Addr { return s.remote }

// LocalAddr is the address the client connected to.
func (s *Session) LocalAddr() net.Addr { return s.local }

// Keyspace is the session's current keyspace ("" until a USE), as stored
// (case preserved).
func (s *Session) Keyspace() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keyspace
}

func (s *Session) setKeyspace(ks string) {
	s.mu.Lock()
	s.keyspace = ks
	s.mu.Unlock()
}

// User is the logged-in user: AnonymousUser without an Authenticator, ""
// until the login succeeds with one.
func (s *Session) User() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.user
}

func (s *Session) setUser(u string) {
	s.mu.Lock()
	s.user = u
	s.mu.Unlock()
}

// StartupOption returns a STARTUP option by its upper-case key (3.11
// upper-cases the keys), e.g. "DRIVER_NAME", "DRIVER_VERSION", "CQL_VERSION".
func (s *Session) StartupOption(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.options[key]
	return v, ok
}

// NoCompact reports the STARTUP option NO_COMPACT=true: COMPACT STORAGE
// tables are then shown as ordinary CQL tables (ClientState.setNoCompactMode).
func (s *Session) NoCompact() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.noCompact
}
