package auth

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Compile-time checks: both implementations have the server's method set.
var (
	_ Authenticator = AllowAll{}
	_ Authenticator = (*Password)(nil)
)

// mustHash hashes at bcrypt's minimum cost so tests stay fast.
func mustHash(t testing.TB, pw string) string {
	t.Helper()
	h, err := HashPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPasswordAuthenticate(t *testing.T) {
	p, err := NewPassword(
		User{Name: "cassandra", Hash: mustHash(t, "cassandra")},
		User{Name: "app", Hash: mustHash(t, "s3cret pass")},
		User{Name: "empty", Hash: mustHash(t, "")},
	)
	if err != nil {
		t.Fatal(err)
	}
	if !p.RequireAuthentication() {
		t.Fatal("Password must require authentication")
	}
	tests := []struct {
		name  string
		creds map[string]string
		user  string
		why   string
		kind  error
	}{
		{"ok", map[string]string{"username": "app", "password": "s3cret pass"}, "app", "", nil},
		{"ok default user", map[string]string{"username": "cassandra", "password": "cassandra"}, "cassandra", "", nil},
		{"ok empty password", map[string]string{"username": "empty", "password": ""}, "empty", "", nil},
		{"extra keys ignored", map[string]string{"username": "app", "password": "s3cret pass", "x": "y"}, "app", "", nil},
		{"nil map", nil, "", "Required key 'username' is missing", ErrMissingKey},
		{"no username", map[string]string{"password": "x"}, "", "Required key 'username' is missing", ErrMissingKey},
		{"no password", map[string]string{"username": "app"}, "", "Required key 'password' is missing for provided username app", ErrMissingKey},
		{"both missing: username first", map[string]string{}, "", "Required key 'username' is missing", ErrMissingKey},
		// Cassandra 3.11's PasswordAuthenticator names the user.
		{"wrong password", map[string]string{"username": "app", "password": "nope"}, "", "Provided username app and/or password are incorrect", ErrBadCredentials},
		{"unknown user", map[string]string{"username": "mallory", "password": "s3cret pass"}, "", "Provided username mallory and/or password are incorrect", ErrBadCredentials},
		{"case-sensitive name", map[string]string{"username": "App", "password": "s3cret pass"}, "", "Provided username App and/or password are incorrect", ErrBadCredentials},
		{"password prefix", map[string]string{"username": "app", "password": "s3cret"}, "", MsgBadCredentials("app"), ErrBadCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, err := p.Authenticate(tt.creds)
			if tt.kind == nil {
				if err != nil || user != tt.user {
					t.Fatalf("Authenticate = %q, %v; want %q, nil", user, err, tt.user)
				}
				return
			}
			if user != "" {
				t.Errorf("user = %q on failure", user)
			}
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			if ae.Why != tt.why || err.Error() != tt.why {
				t.Errorf("why = %q, Error() = %q; want %q", ae.Why, err.Error(), tt.why)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.kind)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	if got, want := MsgUserDoesNotExist("bob"), "User bob doesn't exist - create it with CREATE USER query first"; got != want {
		t.Errorf("MsgUserDoesNotExist = %q", got)
	}
	if MsgNotLoggedIn != "You have not logged in" {
		t.Errorf("MsgNotLoggedIn = %q", MsgNotLoggedIn)
	}
	if got := MsgBadCredentials("bob"); got != "Provided username bob and/or password are incorrect" {
		t.Errorf("MsgBadCredentials = %q", got)
	}
	if got := MsgMissingPassword("bob"); got != "Required key 'password' is missing for provided username bob" {
		t.Errorf("MsgMissingPassword = %q", got)
	}
}

func TestAllowAll(t *testing.T) {
	var a AllowAll
	if a.RequireAuthentication() {
		t.Fatal("AllowAll requires authentication")
	}
	for _, creds := range []map[string]string{nil, {}, {"username": "x", "password": "y"}} {
		if u, err := a.Authenticate(creds); u != AnonymousUser || err != nil {
			t.Errorf("Authenticate(%v) = %q, %v", creds, u, err)
		}
	}
}

func TestNewPasswordRefuses(t *testing.T) {
	good := mustHash(t, "pw")
	tests := []struct {
		name  string
		users []User
		kind  error
	}{
		{"plaintext", []User{{Name: "a", Hash: "hunter2"}}, ErrPlaintextPassword},
		{"empty hash", []User{{Name: "a", Hash: ""}}, ErrPlaintextPassword},
		{"truncated hash", []User{{Name: "a", Hash: good[:40]}}, ErrBadHash},
		{"bad cost", []User{{Name: "a", Hash: "$2a$99$" + good[7:]}}, ErrBadHash},
		{"not bcrypt version", []User{{Name: "a", Hash: "$2" + good[2:3] + "X" + good[4:]}}, ErrBadHash},
		{"empty name", []User{{Name: "", Hash: good}}, ErrEmptyUsername},
		{"colon in name", []User{{Name: "a:b", Hash: good}}, ErrBadUsername},
		{"newline in name", []User{{Name: "a\nb", Hash: good}}, ErrBadUsername},
		{"spaces around name", []User{{Name: " a", Hash: good}}, ErrBadUsername},
		{"duplicate", []User{{Name: "a", Hash: good}, {Name: "a", Hash: good}}, ErrDuplicateUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPassword(tt.users...)
			var ue *UserError
			if !errors.As(err, &ue) || !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want *UserError wrapping %v", err, tt.kind)
			}
			if ue.Line != 0 || ue.Path != "" {
				t.Errorf("line/path set for Go users: %+v", ue)
			}
		})
	}
}

func TestNewPasswordMap(t *testing.T) {
	p, err := NewPasswordMap(map[string]string{"b": mustHash(t, "2"), "a": mustHash(t, "1")})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Users(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("Users = %v", got)
	}
	if u, err := p.Authenticate(map[string]string{"username": "b", "password": "2"}); u != "b" || err != nil {
		t.Errorf("Authenticate = %q, %v", u, err)
	}
	if _, err := NewPasswordMap(map[string]string{"a": "plain"}); !errors.Is(err, ErrPlaintextPassword) {
		t.Errorf("plaintext in map: %v", err)
	}
}

func TestNoUsers(t *testing.T) {
	p, err := NewPassword()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Authenticate(map[string]string{"username": "a", "password": "b"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("err = %v", err)
	}
}

// The dummy hash costs as much as the dearest real one, so that a miss is
// never faster than a hit.
func TestDummyCost(t *testing.T) {
	h5, _ := HashPassword([]byte("x"), 5)
	p, err := NewPassword(User{Name: "a", Hash: mustHash(t, "x")}, User{Name: "b", Hash: h5})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := bcrypt.Cost(p.dummy); err != nil || c != 5 {
		t.Errorf("dummy cost = %d, %v; want 5", c, err)
	}
}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword([]byte("pw"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := bcrypt.Cost([]byte(h)); c != DefaultCost || DefaultCost != 10 {
		t.Errorf("cost = %d, DefaultCost = %d; Cassandra uses 10", c, DefaultCost)
	}
	if _, err := HashPassword(make([]byte, 73), bcrypt.MinCost); !errors.Is(err, bcrypt.ErrPasswordTooLong) {
		t.Errorf("73-byte password: %v", err)
	}
	if _, err := HashPassword([]byte("x"), 99); err == nil {
		t.Error("cost 99 accepted")
	}
}

func TestPasswordConcurrent(t *testing.T) {
	p, err := NewPassword(User{Name: "a", Hash: mustHash(t, "pw")})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := "pw"
			if i%2 == 1 {
				pw = "bad"
			}
			_, err := p.Authenticate(map[string]string{"username": "a", "password": pw})
			if (err == nil) != (i%2 == 0) {
				t.Errorf("goroutine %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkAuthenticate(b *testing.B) {
	for _, cost := range []int{bcrypt.MinCost, DefaultCost} {
		h, _ := HashPassword([]byte("pw"), cost)
		p, err := NewPassword(User{Name: "a", Hash: h})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct{ name, user, pw string }{{"hit", "a", "pw"}, {"wrong", "a", "x"}, {"unknown", "z", "pw"}} {
			b.Run(fmt.Sprintf("%s/cost=%d", c.name, cost), func(b *testing.B) {
				creds := map[string]string{"username": c.user, "password": c.pw}
				for b.Loop() {
					_, _ = p.Authenticate(creds)
				}
			})
		}
	}
}
