package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseUsers(t *testing.T) {
	h1, h2 := mustHash(t, "one"), mustHash(t, "two")
	tests := []struct {
		name  string
		in    string
		users []User
		line  int
		kind  error
	}{
		{"empty", "", nil, 0, nil},
		{"comments and blanks", "# users\n\n  \n#x:y\nalice:" + h1 + "\n", []User{{"alice", h1}}, 0, nil},
		{"two users, CRLF, no final newline", "alice:" + h1 + "\r\nbob:" + h2, []User{{"alice", h1}, {"bob", h2}}, 0, nil},
		{"spaces trimmed", "  alice : " + h1 + "  \n", []User{{"alice", h1}}, 0, nil},
		{"BOM", "\xef\xbb\xbfalice:" + h1, []User{{"alice", h1}}, 0, nil},
		{"unicode name", "żółw:" + h1, []User{{"żółw", h1}}, 0, nil},
		{"plaintext", "# c\nalice:" + h1 + "\nbob:hunter2\n", nil, 3, ErrPlaintextPassword},
		{"no colon", "alice " + h1, nil, 1, ErrMalformedLine},
		{"empty name", ":" + h1, nil, 1, ErrEmptyUsername},
		{"empty hash", "alice:", nil, 1, ErrPlaintextPassword},
		{"bad hash", "alice:" + h1[:59] + "\n", nil, 1, ErrBadHash},
		{"extra field", "alice:" + h1 + ":x", nil, 1, ErrBadHash},
		{"duplicate", "alice:" + h1 + "\n\nalice:" + h2, nil, 3, ErrDuplicateUser},
		{"control char", "al\x01ice:" + h1, nil, 1, ErrBadUsername},
		{"too long", "a:" + strings.Repeat("x", maxLine+10), nil, 1, ErrMalformedLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, err := ParseUsers(strings.NewReader(tt.in), "users.txt")
			if tt.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(users) != len(tt.users) {
					t.Fatalf("users = %v, want %v", users, tt.users)
				}
				for i := range users {
					if users[i] != tt.users[i] {
						t.Errorf("user %d = %v, want %v", i, users[i], tt.users[i])
					}
				}
				return
			}
			var ue *UserError
			if !errors.As(err, &ue) || !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want *UserError wrapping %v", err, tt.kind)
			}
			if ue.Line != tt.line || ue.Path != "users.txt" {
				t.Errorf("at %s:%d, want users.txt:%d", ue.Path, ue.Line, tt.line)
			}
			if !strings.Contains(err.Error(), "users.txt:") {
				t.Errorf("message %q does not name the file and line", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("message %q leaks the plaintext password", err)
			}
		})
	}
}

func TestUserErrorText(t *testing.T) {
	tests := []struct {
		e    *UserError
		want string
	}{
		{&UserError{Path: "u.txt", Line: 3, User: "bob", Err: ErrDuplicateUser}, `auth: u.txt:3: user "bob": duplicate user`},
		{&UserError{Line: 2, Err: ErrMalformedLine}, `auth: line 2: line is not "username:bcrypt-hash"`},
		{&UserError{User: "a", Err: ErrBadHash}, `auth: user "a": malformed bcrypt hash`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestLoadPasswordFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users")
	u := User{Name: "alice", Hash: mustHash(t, "wonderland")}
	if err := os.WriteFile(path, []byte("# test\n"+u.Line()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPasswordFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Authenticate(map[string]string{"username": "alice", "password": "wonderland"}); got != "alice" || err != nil {
		t.Errorf("Authenticate = %q, %v", got, err)
	}
	if _, err := LoadPasswordFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzParseUsers(f *testing.F) {
	h := "$2a$04$abcdefghijklmnopqrstuu5Q8w4dYpVbN8j9vLhN0Wc0u4f0xJm4W"
	f.Add("alice:" + h + "\n")
	f.Add("# c\n\nbob:plain\n")
	f.Add("\xef\xbb\xbf:::\r\n")
	f.Add("a:$2a$10$")
	f.Fuzz(func(t *testing.T, in string) {
		users, err := ParseUsers(strings.NewReader(in), "f")
		if err != nil {
			var ue *UserError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v is not a *UserError", err)
			}
			return
		}
		// Whatever parses must round-trip through Line and be accepted by
		// NewPassword's validation.
		var b strings.Builder
		for _, u := range users {
			if err := u.validate(); err != nil {
				t.Fatalf("parsed user %q fails validation: %v", u.Name, err)
			}
			b.WriteString(u.Line() + "\n")
		}
		again, err := ParseUsers(strings.NewReader(b.String()), "f")
		if err != nil || len(again) != len(users) {
			t.Fatalf("round trip: %v, %d users, want %d", err, len(again), len(users))
		}
	})
}

// Lines from elsewhere parse and verify: `cassa hashpw` (Go, $2a$), and the
// $2b$ / $2y$ spellings of OpenBSD and htpasswd for the same hash.
func TestForeignHashes(t *testing.T) {
	// echo secret | cassa hashpw --cost 5 alice
	const line = "alice:$2a$05$peNoNeMZCh.emGIqFiIbJOQ8uSWci3ibIfFvv6.eKo6N2RdDYVCz."
	for _, minor := range []string{"a", "b", "y"} {
		l := strings.Replace(line, "$2a$", "$2"+minor+"$", 1)
		users, err := ParseUsers(strings.NewReader(l), "users")
		if err != nil {
			t.Fatalf("$2%s$: %v", minor, err)
		}
		p, err := NewPassword(users...)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := p.Authenticate(map[string]string{"username": "alice", "password": "secret"}); u != "alice" || err != nil {
			t.Errorf("$2%s$: Authenticate = %q, %v", minor, u, err)
		}
	}
	if _, err := ParseUsers(strings.NewReader(strings.Replace(line, "$2a$", "$2x$", 1)), "users"); !errors.Is(err, ErrBadHash) {
		t.Errorf("$2x$ accepted: %v", err)
	}
}
