// Package readmetest checks that every Go snippet in the repository's
// README.md compiles against the current module, and that the snippets
// that are whole programs run.
//
// It has no code of its own: go test ./internal/readmetest does the work.
// Each ```go block becomes a package of its own, added to the module
// through `go build -overlay`, so nothing is written inside the work tree:
//
//   - a block that starts with "package" is a whole file, built as is
//     (and run, when it is package main);
//   - a block of declarations (types, functions) gets a package clause and
//     the imports it uses;
//   - any other block is a fragment of statements: it becomes the body of
//     a function that returns error, next to the declarations fragments
//     take for granted (ctx, db (a *pool.Pool), cf, sys, users, u, id,
//     id2, err, and the User and Tweet models).
//
// Variables a fragment declares and does not use are allowed (a README
// shows `row, err := cf.Get(...)` without the lines that use row); every
// other compile error fails the test with its README line. Every block
// must also be gofmt-clean.
package readmetest
