package pool

import (
	"errors"
	"testing"
	"time"
)

// NormalizeAddr is internal/hostport's normalization with Thrift's port.
func TestNormalizeAddr(t *testing.T) {
	for in, want := range map[string]string{"Cass1": "cass1:9160", "[::1]": "[::1]:9160", "h:9161": "h:9161"} {
		if got, err := NormalizeAddr(in); err != nil || got != want {
			t.Errorf("NormalizeAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := NormalizeAddr("a b"); err == nil {
		t.Error("NormalizeAddr accepted a host name with a space")
	}
}

func TestConfigDefaults(t *testing.T) {
	s, err := (&Config{}).settings()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"poolSize", s.poolSize, DefaultPoolSize},
		{"maxConns", s.maxConns, DefaultPoolSize},
		{"poolTimeout", s.poolTimeout, DefaultPoolTimeout},
		{"waitForever", s.waitForever, false},
		{"timeout", s.timeout, DefaultTimeout},
		{"dialTimeout", s.dialTimeout, DefaultDialTimeout},
		{"recycle", s.recycle, DefaultRecycle},
		{"maxRetries", s.maxRetries, DefaultMaxRetries},
		{"backoffBase", s.backoffBase, DefaultBackoffBase},
		{"backoffMax", s.backoffMax, DefaultBackoffMax},
		{"probeBase", s.probeBase, DefaultProbeBase},
		{"maxFrameSize", s.maxFrameSize, DefaultMaxFrameSize},
		{"prefill", s.prefill, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestConfigSpecialValues(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		check func(*settings) bool
	}{
		{"NoWait", Config{PoolTimeout: NoWait}, func(s *settings) bool { return s.poolTimeout == 0 && !s.waitForever }},
		{"WaitForever", Config{PoolTimeout: WaitForever}, func(s *settings) bool { return s.waitForever }},
		{"PoolTimeout", Config{PoolTimeout: time.Second}, func(s *settings) bool { return s.poolTimeout == time.Second }},
		{"NoTimeout", Config{Timeout: NoTimeout, DialTimeout: NoTimeout}, func(s *settings) bool { return s.timeout == 0 && s.dialTimeout == 0 }},
		{"NoRecycle", Config{Recycle: NoRecycle}, func(s *settings) bool { return s.recycle == 0 }},
		{"NoRetries", Config{MaxRetries: NoRetries}, func(s *settings) bool { return s.maxRetries == 0 }},
		{"UnlimitedRetries", Config{MaxRetries: UnlimitedRetries}, func(s *settings) bool { return s.maxRetries == -1 }},
		{"MaxRetries", Config{MaxRetries: 2}, func(s *settings) bool { return s.maxRetries == 2 }},
		{"Overflow", Config{PoolSize: 3, MaxOverflow: 2}, func(s *settings) bool { return s.maxConns == 5 }},
		{"UnlimitedOverflow", Config{MaxOverflow: UnlimitedOverflow}, func(s *settings) bool { return s.maxConns > 1<<30 }},
		{"BackoffMax below base", Config{BackoffBase: time.Second, BackoffMax: time.Millisecond}, func(s *settings) bool { return s.backoffMax == time.Second }},
		{"Servers", Config{Servers: []string{"a", "b:1"}}, func(s *settings) bool {
			return len(s.servers) == 2 && s.servers[0] == "a:9160" && s.servers[1] == "b:1"
		}},
	}
	for _, tt := range tests {
		s, err := tt.cfg.settings()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !tt.check(s) {
			t.Errorf("%s: unexpected settings %+v", tt.name, s)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"PoolSize":     {PoolSize: -1},
		"MaxOverflow":  {MaxOverflow: -2},
		"PoolTimeout":  {PoolTimeout: -3},
		"Timeout":      {Timeout: -2},
		"Recycle":      {Recycle: -5},
		"MaxRetries":   {MaxRetries: -3},
		"MaxFrameSize": {MaxFrameSize: -1},
		"Servers":      {Servers: []string{"a:b:c"}},
		"Discover":     {Discover: true},
		"TokenAware":   {TokenAware: true},
	} {
		if _, err := cfg.settings(); !errors.Is(err, errConfig) {
			t.Errorf("%s: err = %v, want a config error", name, err)
		}
	}
}
