package auth_test

import (
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/server/internal/auth"
)

func Example() {
	// In real use the file comes from `cassa hashpw NAME`; here the hash
	// is made in place, at bcrypt's cheapest cost.
	hash, _ := auth.HashPassword([]byte("wonderland"), 4)
	file := "# users\nalice:" + hash + "\n"

	users, err := auth.ParseUsers(strings.NewReader(file), "users.txt")
	if err != nil {
		panic(err)
	}
	pw, err := auth.NewPassword(users...)
	if err != nil {
		panic(err)
	}
	user, err := pw.Authenticate(map[string]string{"username": "alice", "password": "wonderland"})
	fmt.Println(user, err)
	_, err = pw.Authenticate(map[string]string{"username": "alice", "password": "guess"})
	fmt.Println(err)
	_, err = auth.ParseUsers(strings.NewReader("bob:hunter2\n"), "users.txt")
	fmt.Println(err)
	// Output:
	// alice <nil>
	// Provided username alice and/or password are incorrect
	// auth: users.txt:1: user "bob": password is not a bcrypt hash (plaintext?); make the line with `cassa hashpw NAME`
}
