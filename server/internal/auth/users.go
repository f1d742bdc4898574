package auth

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// User is one account: a name and the bcrypt hash of its password.
type User struct {
	// Name is the login name, matched exactly (case-sensitive).
	Name string
	// Hash is a bcrypt hash ("$2a$10$..."; $2b$ and $2y$ work too).
	Hash string
}

// Reasons a user or a users-file line is refused, for errors.Is.
var (
	// ErrEmptyUsername: the name is empty.
	ErrEmptyUsername = errors.New("empty user name")
	// ErrBadUsername: the name has a ':', a control character, or
	// surrounding spaces, which the users file cannot hold.
	ErrBadUsername = errors.New("user name must not contain ':', control characters or surrounding spaces")
	// ErrPlaintextPassword: the password field is not a hash at all.
	ErrPlaintextPassword = errors.New("password is not a bcrypt hash (plaintext?); make the line with `cassa hashpw NAME`")
	// ErrBadHash: the field looks like a bcrypt hash but does not parse.
	ErrBadHash = errors.New("malformed bcrypt hash")
	// ErrDuplicateUser: the same name twice.
	ErrDuplicateUser = errors.New("duplicate user")
	// ErrMalformedLine: a users-file line is not "username:hash".
	ErrMalformedLine = errors.New(`line is not "username:bcrypt-hash"`)
)

// UserError says which user (and, from a file, which line) was refused and
// why; errors.Is(err, ErrPlaintextPassword) and the like match Err.
type UserError struct {
	// Path is the users file, empty when the users came from Go.
	Path string
	// Line is the 1-based line number in the file, 0 when not from a file.
	Line int
	// User is the user name, if one could be read.
	User string
	// Err is the reason, one of the Err* values above.
	Err error
}

// Error names the place, the user and the reason.
func (e *UserError) Error() string {
	var b strings.Builder
	b.WriteString("auth: ")
	switch {
	case e.Path != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.Path, e.Line)
	case e.Path != "":
		b.WriteString(e.Path + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.User != "" {
		fmt.Fprintf(&b, "user %q: ", e.User)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the reason.
func (e *UserError) Unwrap() error { return e.Err }

// validate checks a user as NewPassword and the file format need it.
func (u User) validate() error {
	if err := ValidateUsername(u.Name); err != nil {
		return err
	}
	return validateHash(u.Hash)
}

// ValidateUsername reports whether name can be stored in a users file: it
// must be non-empty, without ':' (the separator) or control characters, and
// without leading or trailing spaces (lines are trimmed when read).
func ValidateUsername(name string) error {
	if name == "" {
		return ErrEmptyUsername
	}
	if strings.TrimSpace(name) != name {
		return ErrBadUsername
	}
	for _, r := range name {
		if r == ':' || r < 0x20 || r == 0x7f {
			return ErrBadUsername
		}
	}
	return nil
}

// validateHash accepts only a well-formed bcrypt hash. Anything not even
// starting like one is taken for a plaintext password, the likeliest
// mistake, and says so.
func validateHash(h string) error {
	if !strings.HasPrefix(h, "$2") {
		return ErrPlaintextPassword
	}
	// Exactly "$2a$", "$2b$" or "$2y$", two cost digits, "$", then 53
	// characters of bcrypt's base64 (22 salt, 31 hash): 60 bytes in all.
	// bcrypt.Cost alone is more lenient than that.
	if len(h) != 60 || h[3] != '$' || h[6] != '$' || !strings.ContainsRune("aby", rune(h[2])) ||
		!isDigit(h[4]) || !isDigit(h[5]) {
		return ErrBadHash
	}
	for i := 7; i < len(h); i++ {
		if !isBcryptBase64(h[i]) {
			return ErrBadHash
		}
	}
	if _, err := bcrypt.Cost([]byte(h)); err != nil {
		return ErrBadHash
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isBcryptBase64 reports whether c is in bcrypt's alphabet: "./A-Za-z0-9".
func isBcryptBase64(c byte) bool {
	return c == '.' || c == '/' || isDigit(c) || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z')
}

// HashPassword returns the bcrypt hash of password at cost (0 means
// DefaultCost). bcrypt reads at most 72 bytes, so a longer password is
// refused rather than silently cut.
func HashPassword(password []byte, cost int) (string, error) {
	if cost == 0 {
		cost = DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword(password, cost)
	if err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	return string(h), nil
}

// Line formats u as a users-file line, without the newline.
func (u User) Line() string { return u.Name + ":" + u.Hash }

// maxLine bounds one users-file line; a real one is under 200 bytes.
const maxLine = 64 << 10

// ParseUsers reads a users file: one "username:hash" line per user, where
// hash is a bcrypt hash. Blank lines and lines starting with '#' are
// skipped; surrounding spaces are trimmed. A malformed line, a plaintext
// password, a bad hash or a repeated name is a *UserError with its line
// number. Path only labels errors.
func ParseUsers(r io.Reader, path string) ([]User, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var users []User
	seen := make(map[string]bool)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf")) // UTF-8 BOM from some editors
		}
		s := strings.TrimSpace(string(text))
		if s == "" || s[0] == '#' {
			continue
		}
		name, hash, ok := strings.Cut(s, ":")
		if !ok {
			return nil, &UserError{Path: path, Line: line, Err: ErrMalformedLine}
		}
		u := User{Name: strings.TrimSpace(name), Hash: strings.TrimSpace(hash)}
		if err := u.validate(); err != nil {
			return nil, &UserError{Path: path, Line: line, User: u.Name, Err: err}
		}
		if seen[u.Name] {
			return nil, &UserError{Path: path, Line: line, User: u.Name, Err: ErrDuplicateUser}
		}
		seen[u.Name] = true
		users = append(users, u)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &UserError{Path: path, Line: line + 1, Err: ErrMalformedLine}
		}
		return nil, fmt.Errorf("auth: read %s: %w", path, err)
	}
	return users, nil
}

// ReadUsersFile reads and parses the users file at path (see ParseUsers).
func ReadUsersFile(path string) ([]User, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth: users file: %w", err)
	}
	defer f.Close()
	return ParseUsers(f, path)
}

// LoadPasswordFile is ReadUsersFile followed by NewPassword: what
// `cassa server --users FILE` needs.
func LoadPasswordFile(path string) (*Password, error) {
	users, err := ReadUsersFile(path)
	if err != nil {
		return nil, err
	}
	return NewPassword(users...)
}
