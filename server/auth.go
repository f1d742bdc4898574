package server

// Authenticator decides who a connection is. It is the hook for Cassandra's
// IAuthenticator: the default AllowAll behaves like AllowAllAuthenticator;
// a password authenticator plugs in through Config.Authenticator.
type Authenticator interface {
	// RequireAuthentication reports whether connections must call login
	// before data methods (Cassandra answers "You have not logged in"
	// otherwise).
	RequireAuthentication() bool
	// Authenticate checks the credentials map of a login call and returns
	// the user name. Its error's text becomes AuthenticationException.why.
	Authenticate(credentials map[string]string) (user string, err error)
}

// AllowAll is Cassandra's AllowAllAuthenticator: no login is needed and
// every login succeeds, whatever the credentials.
type AllowAll struct{}

// AnonymousUser is the user of every connection under AllowAll.
const AnonymousUser = "anonymous"

// RequireAuthentication is always false.
func (AllowAll) RequireAuthentication() bool { return false }

// Authenticate always succeeds as the anonymous user.
func (AllowAll) Authenticate(map[string]string) (string, error) { return AnonymousUser, nil }
