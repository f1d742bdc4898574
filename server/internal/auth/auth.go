package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"sort"

	"golang.org/x/crypto/bcrypt"
)

// Credential keys of a Thrift AuthenticationRequest, as Cassandra's
// IAuthenticator names them.
const (
	UsernameKey = "username"
	PasswordKey = "password"
)

// AnonymousUser is the user of every connection under AllowAll, as
// Cassandra's AuthenticatedUser.ANONYMOUS_USERNAME.
const AnonymousUser = "anonymous"

// DefaultCost is the bcrypt cost Cassandra's PasswordAuthenticator uses
// (GENSALT_LOG2_ROUNDS = 10); it equals bcrypt.DefaultCost.
const DefaultCost = bcrypt.DefaultCost

// MsgNotLoggedIn is the InvalidRequestException.why for a data or schema
// call made before login while authentication is required
// (ClientState.validateLogin).
const MsgNotLoggedIn = "You have not logged in"

// MsgBadCredentials is AuthenticationException.why for a wrong password
// and for an unknown user alike, as Cassandra 3.11's
// PasswordAuthenticator.authenticate words it (an unknown name finds no
// stored hash and gets the same text).
func MsgBadCredentials(user string) string {
	return fmt.Sprintf("Provided username %s and/or password are incorrect", user)
}

// MsgMissingKey is AuthenticationException.why when the credentials lack
// "username" (PasswordAuthenticator.legacyAuthenticate).
func MsgMissingKey(key string) string {
	return fmt.Sprintf("Required key '%s' is missing", key)
}

// MsgMissingPassword is AuthenticationException.why when the credentials
// name a user but lack "password" (3.11's legacyAuthenticate).
func MsgMissingPassword(user string) string {
	return fmt.Sprintf("Required key '%s' is missing for provided username %s", PasswordKey, user)
}

// MsgUserDoesNotExist is the text of Cassandra 2.x's ClientState.login
// when the authenticator accepted a user that system_auth.users does not
// list. Cassandra reaches it only when its two auth tables disagree; here
// users and their hashes are one table, so Password never answers it (an
// unknown user gets MsgBadCredentials, as from Cassandra's
// PasswordAuthenticator). It is exported for a server that keeps users
// and credentials apart.
func MsgUserDoesNotExist(user string) string {
	return fmt.Sprintf("User %s doesn't exist - create it with CREATE USER query first", user)
}

// Kinds of login failure, for errors.Is on an *Error.
var (
	// ErrMissingKey: the credentials lack "username" or "password".
	ErrMissingKey = errors.New("auth: required credential missing")
	// ErrBadCredentials: unknown user or wrong password.
	ErrBadCredentials = errors.New("auth: bad credentials")
)

// Error is a refused login. Its Error text is exactly Why, the string the
// server sends as AuthenticationException.why; errors.Is matches its kind
// (ErrMissingKey or ErrBadCredentials).
type Error struct {
	// Why is Cassandra's message.
	Why  string
	kind error
}

// Error returns Why, unadorned, because the server sends it as is.
func (e *Error) Error() string { return e.Why }

// Unwrap returns the kind of failure.
func (e *Error) Unwrap() error { return e.kind }

// Authenticator is Cassandra's IAuthenticator as Thrift login uses it. Its
// method set is the server's Authenticator interface.
type Authenticator interface {
	// RequireAuthentication reports whether a connection must log in
	// before data and schema calls.
	RequireAuthentication() bool
	// Authenticate checks a login's credentials map and returns the user
	// name, or an *Error whose text is the AuthenticationException.why.
	Authenticate(credentials map[string]string) (user string, err error)
}

// AllowAll is Cassandra's AllowAllAuthenticator: no login is needed and a
// login with any credentials succeeds as AnonymousUser.
type AllowAll struct{}

// RequireAuthentication is always false.
func (AllowAll) RequireAuthentication() bool { return false }

// Authenticate always succeeds as AnonymousUser.
func (AllowAll) Authenticate(map[string]string) (string, error) { return AnonymousUser, nil }

// Password is Cassandra's PasswordAuthenticator over a fixed set of users,
// each known only by the bcrypt hash of their password. It is immutable
// and safe for concurrent use.
type Password struct {
	hashes map[string][]byte
	// dummy is compared against for unknown names, so that a miss costs
	// the same bcrypt work as a wrong password and does not reveal which
	// users exist by its timing.
	dummy []byte
}

// NewPassword returns a PasswordAuthenticator for users. Every hash must be
// a bcrypt hash and every name non-empty, without ':' or line breaks, and
// unique; otherwise it returns a *UserError. Zero users is allowed: every
// login then fails.
func NewPassword(users ...User) (*Password, error) {
	p := &Password{hashes: make(map[string][]byte, len(users))}
	cost := bcrypt.MinCost
	for _, u := range users {
		if err := u.validate(); err != nil {
			return nil, &UserError{User: u.Name, Err: err}
		}
		if _, dup := p.hashes[u.Name]; dup {
			return nil, &UserError{User: u.Name, Err: ErrDuplicateUser}
		}
		p.hashes[u.Name] = []byte(u.Hash)
		if c, _ := bcrypt.Cost([]byte(u.Hash)); c > cost {
			cost = c
		}
	}
	// The dummy's cost is the highest among the users, so a miss is never
	// cheaper than a hit. With no users there is nothing to hide.
	var secret [16]byte
	_, _ = rand.Read(secret[:])
	d, err := bcrypt.GenerateFromPassword(secret[:], cost)
	if err != nil {
		return nil, fmt.Errorf("auth: dummy hash: %w", err)
	}
	p.dummy = d
	return p, nil
}

// NewPasswordMap is NewPassword for a map from user name to bcrypt hash.
func NewPasswordMap(hashes map[string]string) (*Password, error) {
	users := make([]User, 0, len(hashes))
	for name, h := range hashes {
		users = append(users, User{Name: name, Hash: h})
	}
	// Sorted so that the first error reported does not depend on map order.
	sort.Slice(users, func(i, j int) bool { return users[i].Name < users[j].Name })
	return NewPassword(users...)
}

// RequireAuthentication is always true: there is no anonymous access.
func (p *Password) RequireAuthentication() bool { return true }

// Authenticate checks credentials["username"] and credentials["password"]
// against the stored hash. Failures are *Error with Cassandra 3.11's
// messages: a missing username gives MsgMissingKey, a missing password
// MsgMissingPassword, an unknown user or a wrong password
// MsgBadCredentials.
func (p *Password) Authenticate(credentials map[string]string) (string, error) {
	name, ok := credentials[UsernameKey]
	if !ok {
		return "", &Error{Why: MsgMissingKey(UsernameKey), kind: ErrMissingKey}
	}
	password, ok := credentials[PasswordKey]
	if !ok {
		return "", &Error{Why: MsgMissingPassword(name), kind: ErrMissingKey}
	}
	hash, known := p.hashes[name]
	if !known {
		hash = p.dummy
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	// Both outcomes are combined without a branch on known first, so the
	// work done does not depend on whether the name exists.
	if subtle.ConstantTimeByteEq(b2u(match), 1)&subtle.ConstantTimeByteEq(b2u(known), 1) != 1 {
		return "", &Error{Why: MsgBadCredentials(name), kind: ErrBadCredentials}
	}
	return name, nil
}

// Users returns the user names, sorted.
func (p *Password) Users() []string {
	names := make([]string, 0, len(p.hashes))
	for n := range p.hashes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
