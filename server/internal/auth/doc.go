// Package auth is the embedded server's authentication: Cassandra's
// AllowAllAuthenticator and PasswordAuthenticator as the Thrift login
// method sees them, with users loaded from Go or from a users file.
//
// Passwords are held only as bcrypt hashes, the same scheme (and default
// cost, 10) that Cassandra's PasswordAuthenticator keeps in system_auth.
// The users file has one "username:hash" line per user:
//
//	# cassa users file: make lines with `cassa hashpw NAME`
//	cassandra:$2a$10$...
//	app:$2a$10$...
//
// Both authenticators satisfy the server's Authenticator interface, so
// wiring is one assignment:
//
//	users, err := auth.ReadUsersFile("users.txt")
//	pw, err := auth.NewPassword(users...)
//	srv, err := server.Start(ctx, server.Config{Authenticator: pw})
//
// The messages are Cassandra 2.2's, so clients that match on them behave
// the same: see MsgMissingKey, MsgMissingPassword, MsgBadCredentials and MsgNotLoggedIn.
package auth
