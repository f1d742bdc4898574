package hostport

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Normalize returns the canonical "host:port" form of addr: defaultPort
// when none is given, IPv6 hosts bracketed, host names lower-cased.
// Surrounding spaces are ignored; an empty address, a bad port or a host
// name with characters DNS names do not use is an error naming addr.
func Normalize(addr string, defaultPort int) (string, error) {
	a := strings.TrimSpace(addr)
	if a == "" {
		return "", errors.New("empty server address")
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		// No port: a bare host name, IPv4 address, or unbracketed IPv6.
		host, port = strings.Trim(a, "[]"), strconv.Itoa(defaultPort)
		if strings.Contains(host, ":") && net.ParseIP(host) == nil {
			return "", fmt.Errorf("bad server address %q", addr)
		}
	}
	if host == "" {
		return "", fmt.Errorf("bad server address %q: no host", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n <= 0 || n > 65535 {
		return "", fmt.Errorf("bad server address %q: port %q", addr, port)
	}
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
	} else if validHostName(host) {
		host = strings.ToLower(host)
	} else {
		return "", fmt.Errorf("bad server address %q: host %q", addr, host)
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// validHostName accepts the characters of DNS names (and the underscores
// some internal names use).
func validHostName(h string) bool {
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return h != ""
}
