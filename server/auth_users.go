package server

import "github.com/cassa-go/cassa/server/internal/auth"

// LoadUsersFile returns Cassandra's PasswordAuthenticator over the users of
// a users file: one "name:bcrypt-hash" line per user (make lines with
// `cassa hashpw NAME`); blank lines and '#' comments are skipped. A
// malformed line, a plaintext password or a repeated name is an error
// naming the line. Set the result as Config.Authenticator: every data and
// schema call then needs a login first.
func LoadUsersFile(path string) (Authenticator, error) {
	p, err := auth.LoadPasswordFile(path)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PasswordUsers returns Cassandra's PasswordAuthenticator over users given
// as a map from name to bcrypt hash (never a plaintext password).
func PasswordUsers(hashes map[string]string) (Authenticator, error) {
	p, err := auth.NewPasswordMap(hashes)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// HashPassword returns the bcrypt hash of password at Cassandra's cost
// (10), for PasswordUsers and users files.
func HashPassword(password string) (string, error) {
	return auth.HashPassword([]byte(password), 0)
}
