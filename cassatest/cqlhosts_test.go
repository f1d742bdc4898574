package cassatest_test

import (
	"net"
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/cassatest"
)

func TestCQLHostsEmbedded(t *testing.T) {
	t.Setenv(cassatest.EnvCQLHosts, "")
	hosts := cassatest.CQLHosts(t)
	if len(hosts) != 1 {
		t.Fatalf("hosts %v", hosts)
	}
	c, err := net.Dial("tcp", hosts[0])
	if err != nil {
		t.Fatalf("the embedded server's CQL address %s: %v", hosts[0], err)
	}
	c.Close()
	if again := cassatest.CQLHosts(t); !reflect.DeepEqual(again, hosts) {
		t.Errorf("a second call in the same test gave %v, want %v", again, hosts)
	}
	t.Run("subtest", func(t *testing.T) {
		if sub := cassatest.CQLHosts(t); reflect.DeepEqual(sub, hosts) {
			t.Errorf("a subtest shares its parent's server %v", sub)
		}
	})
}

func TestCQLHostsFromEnv(t *testing.T) {
	t.Setenv(cassatest.EnvCQLHosts, " 10.0.0.1:9042, ,10.0.0.2:9043 ")
	want := []string{"10.0.0.1:9042", "10.0.0.2:9043"}
	if got := cassatest.CQLHosts(t); !reflect.DeepEqual(got, want) {
		t.Errorf("CQLHosts = %v, want %v", got, want)
	}
	if got := cassatest.CQLHostsFromEnv(); !reflect.DeepEqual(got, want) {
		t.Errorf("CQLHostsFromEnv = %v, want %v", got, want)
	}
	t.Setenv(cassatest.EnvCQLHosts, "")
	if got := cassatest.CQLHostsFromEnv(); got != nil {
		t.Errorf("unset: %v", got)
	}
}
