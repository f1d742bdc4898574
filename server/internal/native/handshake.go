package native

import (
	"errors"
	"strings"

	"github.com/datastax/go-cassandra-native-protocol/compression/lz4"
	"github.com/datastax/go-cassandra-native-protocol/compression/snappy"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// The handshake messages, answered inline by the reading goroutine:
// OPTIONS, STARTUP, AUTH_RESPONSE, REGISTER.

// supported is OptionsMessage.execute's answer.
func supported() *message.Supported {
	return &message.Supported{Options: map[string][]string{
		"CQL_VERSION":       {"3.4.4"},
		"COMPRESSION":       {"snappy", "lz4"},
		"PROTOCOL_VERSIONS": supportedVersions,
	}}
}

// startup is StartupMessage.execute.
func (c *conn) startup(stream int16, m *message.Startup) {
	opts := make(map[string]string, len(m.Options))
	for k, v := range m.Options {
		opts[strings.ToUpper(k)] = v
	}
	cql, ok := opts["CQL_VERSION"]
	if !ok {
		c.writeError(c.version, stream, protocolErr("Missing value CQL_VERSION in STARTUP message"))
		return
	}
	if werr := checkCQLVersion(cql); werr != nil {
		c.writeError(c.version, stream, werr)
		return
	}
	if name, ok := opts["COMPRESSION"]; ok {
		switch name = strings.ToLower(name); name {
		case "snappy":
			c.comp = snappy.Compressor{}
		case "lz4":
			c.comp = lz4.Compressor{}
		default:
			c.writeError(c.version, stream, protocolErr("Unknown compression algorithm: %s", name))
			return
		}
	}
	c.throwOnOverload = opts["THROW_ON_OVERLOAD"] == "1"
	c.sess.mu.Lock()
	c.sess.options = opts
	c.sess.noCompact = strings.EqualFold(opts["NO_COMPACT"], "true")
	c.sess.mu.Unlock()
	if c.srv.cfg.Authenticator != nil {
		c.state = stateAuthentication
		c.send(&reply{stream: stream, msg: &message.Authenticate{Authenticator: PasswordAuthenticatorClass}})
		return
	}
	c.state = stateReady
	c.send(&reply{stream: stream, msg: &message.Ready{}})
}

// authResponse is AuthResponse.execute with PasswordAuthenticator's SASL
// PLAIN negotiator: one round, the connection stays in AUTHENTICATION
// after a failure.
//
// Without an Authenticator, AllowAllAuthenticator's negotiator completes at
// once: AUTH_SUCCESS, the user stays anonymous. On a READY connection with
// one, a new negotiator logs the connection in again.
func (c *conn) authResponse(stream int16, m *message.AuthResponse) {
	if c.srv.cfg.Authenticator == nil {
		c.send(&reply{stream: stream, msg: &message.AuthSuccess{}})
		return
	}
	user, password, msg := decodePlain(m.Token)
	if msg == "" {
		u, err := c.srv.cfg.Authenticator.Authenticate(c.ctx, user, password)
		if err == nil {
			c.sess.setUser(u)
			c.state = stateReady
			c.send(&reply{stream: stream, msg: &message.AuthSuccess{}})
			return
		}
		var ae *AuthError
		if errors.As(err, &ae) {
			msg = ae.Message
		} else {
			msg = badCredentials(user)
		}
	}
	c.send(&reply{stream: stream, msg: &message.AuthenticationError{ErrorMessage: msg}})
}

// decodePlain splits a SASL PLAIN token as
// PlainTextSaslAuthenticator.decodeCredentials does, from the end: the
// last part is the password, the one before it the user, an authzid before
// that is ignored. A non-empty msg is the AuthenticationException text.
func decodePlain(token []byte) (user, password, msg string) {
	var u, p []byte
	haveU, haveP := false, false
	end := len(token)
	for i := len(token) - 1; i >= 0; i-- {
		if token[i] != 0 {
			continue
		}
		switch {
		case !haveP:
			p, haveP = token[i+1:end], true
		case !haveU:
			u, haveU = token[i+1:end], true
		default:
			return "", "", `Credential format error: username or password is empty or contains NUL(\0) character`
		}
		end = i
	}
	if len(p) == 0 {
		return "", "", "Password must not be null"
	}
	if len(u) == 0 {
		return "", "", "Authentication ID must not be null"
	}
	return string(u), string(p), ""
}

// register is RegisterMessage.execute: types are registered in order, and
// one the connection's version does not know fails the rest.
func (c *conn) register(stream int16, types []primitive.EventType) {
	for _, t := range types {
		if t == EventTraceComplete && c.version < 4 {
			c.writeError(c.version, stream, protocolErr("Event TRACE_COMPLETE not valid for protocol version %s", versionName(c.version)))
			return
		}
		c.eventsOnce.Do(func() {
			c.events = make(chan message.Event, eventQueueLen)
			c.eventsDone.Add(1)
			go c.eventLoop()
		})
		c.srv.subscribe(c, t)
	}
	c.send(&reply{stream: stream, msg: &message.Ready{}})
}
