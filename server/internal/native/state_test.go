package native

import (
	"context"
	"errors"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

const protoErr = primitive.ErrorCodeProtocolError

// ServerConnection.validateNewMessage, message by message.
func TestStateMachine(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	for i, m := range []message.Message{
		query("SELECT 1"),
		&message.Prepare{Query: "SELECT 1"},
		&message.Register{EventTypes: []primitive.EventType{EventSchemaChange}},
		&message.AuthResponse{Token: []byte("\x00a\x00b")},
		&message.Batch{Children: []*message.BatchChild{{Query: "INSERT"}}},
	} {
		got := c.roundTrip(4, int16(10+i), m)
		expectError(t, got, protoErr, "Unexpected message "+opcodeName(byte(m.GetOpCode()))+", expecting STARTUP or OPTIONS")
	}
	// The failures left the connection usable.
	c.startup(4, map[string]string{"CQL_VERSION": "3.4.4"})
	expectError(t, c.roundTrip(4, 20, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}),
		protoErr, "Unexpected message STARTUP, the connection is already initialized")
	if _, ok := c.roundTrip(4, 21, query("SELECT 1")).(*message.VoidResult); !ok {
		t.Fatal("QUERY on a READY connection")
	}
	// AUTH_RESPONSE on a READY connection gets AllowAllAuthenticator's
	// negotiator, which succeeds at once.
	if s, ok := c.roundTrip(4, 22, &message.AuthResponse{Token: []byte{}}).(*message.AuthSuccess); !ok || s.Token != nil {
		t.Fatal("AUTH_RESPONSE on a READY connection without authenticator")
	}
}

func TestStartupOptions(t *testing.T) {
	_, addr := startServer(t, Config{})
	tests := []struct {
		opts map[string]string
		want string // "" for READY
	}{
		{map[string]string{}, "Missing value CQL_VERSION in STARTUP message"},
		{map[string]string{"DRIVER_NAME": "x"}, "Missing value CQL_VERSION in STARTUP message"},
		{map[string]string{"CQL_VERSION": "2.0.0"}, "CQL version 2.0.0 is not supported by the binary protocol (supported version are >= 3.0.0)"},
		{map[string]string{"CQL_VERSION": "2.99.0-rc1"}, "CQL version 2.99.0-rc1 is not supported by the binary protocol (supported version are >= 3.0.0)"},
		{map[string]string{"CQL_VERSION": "three"}, "Invalid version value: three"},
		{map[string]string{"CQL_VERSION": "3"}, "Invalid version value: 3"},
		{map[string]string{"CQL_VERSION": "3.0.x"}, "Invalid version value: 3.0.x"},
		{map[string]string{"CQL_VERSION": "99999999999.0"}, "Invalid version value: 99999999999.0"},
		{map[string]string{"CQL_VERSION": "3.0.0", "COMPRESSION": "zstd"}, "Unknown compression algorithm: zstd"},
		{map[string]string{"CQL_VERSION": "3.0.0", "COMPRESSION": "Deflate"}, "Unknown compression algorithm: deflate"},
		{map[string]string{"CQL_VERSION": "2.99.0"}, ""},
		{map[string]string{"CQL_VERSION": "3.0.0"}, ""},
		{map[string]string{"CQL_VERSION": "3.4.4"}, ""},
		{map[string]string{"CQL_VERSION": "3.4"}, ""},
		{map[string]string{"CQL_VERSION": "3.4.5-SNAPSHOT"}, ""},
		{map[string]string{"CQL_VERSION": "4.0.0+build.1"}, ""},
		{map[string]string{"cql_version": "3.0.0", "driver_name": "x"}, ""}, // keys are upper-cased
		{map[string]string{"CQL_VERSION": "3.0.0", "NO_COMPACT": "true", "THROW_ON_OVERLOAD": "1"}, ""},
	}
	for _, tt := range tests {
		c := dial(t, addr)
		got := c.roundTrip(4, 3, &message.Startup{Options: tt.opts})
		if tt.want == "" {
			if _, ok := got.(*message.Ready); !ok {
				t.Errorf("STARTUP %v answered %v, want READY", tt.opts, got)
			}
			continue
		}
		expectError(t, got, protoErr, tt.want)
		// The connection is still UNINITIALIZED.
		expectError(t, c.roundTrip(4, 4, query("x")), protoErr, "Unexpected message QUERY, expecting STARTUP or OPTIONS")
	}
}

func TestSessionStartupOptions(t *testing.T) {
	sessions := make(chan *Session, 1)
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ context.Context, s *Session, _ *message.Query) Response {
		sessions <- s
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(3, map[string]string{"cql_version": "3.0.0", "Driver_Name": "raw", "NO_COMPACT": "TRUE"})
	c.roundTrip(3, 2, query("SELECT 1"))
	s := <-sessions
	if v, _ := s.StartupOption("DRIVER_NAME"); v != "raw" || !s.NoCompact() || s.Version() != primitive.ProtocolVersion3 {
		t.Fatalf("session: driver %q no_compact %v version %v", v, s.NoCompact(), s.Version())
	}
	if s.User() != AnonymousUser || s.Keyspace() != "" || s.RemoteAddr() == nil || s.LocalAddr() == nil || s.ID() == 0 {
		t.Fatalf("session: user %q keyspace %q", s.User(), s.Keyspace())
	}
}

type checkAuth struct{}

func (checkAuth) Authenticate(_ context.Context, user, password string) (string, error) {
	switch {
	case user == "cassandra" && password == "cassandra":
		return "cassandra", nil
	case user == "locked":
		return "", &AuthError{Message: "locked is not permitted to log in"}
	}
	return "", errors.New("no")
}

func TestAuthentication(t *testing.T) {
	var loggedIn string
	_, addr := startServer(t, Config{
		Authenticator: checkAuth{},
		Backend: &funcBackend{query: func(_ context.Context, s *Session, _ *message.Query) Response {
			loggedIn = s.User()
			return Reply(&message.VoidResult{})
		}},
	})
	c := dial(t, addr)
	got := c.roundTrip(4, 1, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}})
	if a, ok := got.(*message.Authenticate); !ok || a.Authenticator != "org.apache.cassandra.auth.PasswordAuthenticator" {
		t.Fatalf("STARTUP answered %v", got)
	}
	// Nothing but AUTH_RESPONSE while authenticating, not even OPTIONS.
	expectError(t, c.roundTrip(4, 2, query("SELECT 1")), protoErr, "Unexpected message QUERY, expecting SASL_RESPONSE")
	expectError(t, c.roundTrip(4, 3, &message.Options{}), protoErr, "Unexpected message OPTIONS, expecting SASL_RESPONSE")
	const authErr = primitive.ErrorCodeAuthenticationError
	for _, tt := range []struct {
		token, want string
	}{
		{"\x00cassandra\x00wrong", "Provided username cassandra and/or password are incorrect"},
		{"\x00nobody\x00cassandra", "Provided username nobody and/or password are incorrect"},
		{"\x00locked\x00x", "locked is not permitted to log in"},
		{"", "Password must not be null"},
		{"\x00cassandra\x00", "Password must not be null"},
		{"cassandra", "Password must not be null"},
		{"\x00\x00pw", "Authentication ID must not be null"},
		{"\x00pw", "Authentication ID must not be null"},
		{"a\x00b\x00c\x00d", `Credential format error: username or password is empty or contains NUL(\0) character`},
	} {
		expectError(t, c.roundTrip(4, 4, &message.AuthResponse{Token: []byte(tt.token)}), authErr, tt.want)
	}
	// A null token is a NullPointerException in AuthResponse.execute.
	expectError(t, c.roundTrip(4, 5, &message.AuthResponse{}), primitive.ErrorCodeServerError, "java.lang.NullPointerException")
	// Still authenticating; the authzid is ignored.
	got = c.roundTrip(4, 6, &message.AuthResponse{Token: []byte("admin\x00cassandra\x00cassandra")})
	if s, ok := got.(*message.AuthSuccess); !ok || s.Token != nil {
		t.Fatalf("AUTH_RESPONSE answered %v", got)
	}
	c.roundTrip(4, 7, query("SELECT 1"))
	if loggedIn != "cassandra" {
		t.Fatalf("session user %q", loggedIn)
	}
	expectError(t, c.roundTrip(4, 8, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}),
		protoErr, "Unexpected message STARTUP, the connection is already initialized")
}

func TestCredentialsFunc(t *testing.T) {
	f := CredentialsFunc(func(c map[string]string) (string, error) {
		if c["username"] == "u" && c["password"] == "p" {
			return "u", nil
		}
		return "", errors.New("Username and/or password are incorrect")
	})
	if u, err := f.Authenticate(context.Background(), "u", "p"); err != nil || u != "u" {
		t.Fatal(u, err)
	}
	if _, err := f.Authenticate(context.Background(), "u", "x"); err == nil {
		t.Fatal("accepted a wrong password")
	}
}

func TestRegister(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.startup(4, nil)
	reg := func(stream int16, names ...string) message.Message {
		var body []byte
		body = append(body, 0, byte(len(names)))
		for _, n := range names {
			body = append(body, 0, byte(len(n)))
			body = append(body, n...)
		}
		c.send(4, 0, stream, 0x0B, body)
		m, _ := decodeResponse(t, c.mustFrame())
		return m
	}
	if _, ok := reg(1, "TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE").(*message.Ready); !ok {
		t.Fatal("REGISTER not READY")
	}
	// CBUtil.readEnumValue upper-cases the name.
	if _, ok := reg(2, "schema_change", "Trace_Complete").(*message.Ready); !ok {
		t.Fatal("lower-case REGISTER not READY")
	}
	expectError(t, reg(3, "SCHEMA_CHANGE", "SCHEMA"), protoErr, "Invalid value 'SCHEMA' for Type")
	expectError(t, reg(4, ""), protoErr, "Invalid value '' for Type")

	c3 := dial(t, addr)
	c3.startup(3, nil)
	c3.send(3, 0, 5, 0x0B, []byte{0, 1, 0, 14, 'T', 'R', 'A', 'C', 'E', '_', 'C', 'O', 'M', 'P', 'L', 'E', 'T', 'E'})
	m, _ := decodeResponse(t, c3.mustFrame())
	expectError(t, m, protoErr, "Event TRACE_COMPLETE not valid for protocol version 3/v3")
}
