package server_test

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

func TestCQLExpirationDateOverflowPolicy(t *testing.T) {
	// Attributes.getTimeToLive hands the TTL to
	// ExpirationDateOverflowHandling under the node's policy.
	for _, p := range []server.ExpirationOverflowPolicy{server.ExpirationReject, server.ExpirationCap, server.ExpirationCapNoWarn} {
		t.Run(p.String(), func(t *testing.T) {
			clk := cassatest.NewClock(clockStart)
			srv := startCQL(t, server.Config{Clock: clk.Now, ExpirationDateOverflowPolicy: p})
			s := connect(t, srv, "")
			mustExec(t, s, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
			mustExec(t, s, "CREATE TABLE ks.t (k int PRIMARY KEY, v int)")
			err := s.Query("INSERT INTO ks.t (k, v) VALUES (1, 1) USING TTL 630720000").Exec()
			if p == server.ExpirationReject {
				if err == nil || !strings.Contains(err.Error(), "Request on table ks.t with ttl of 630720000 seconds exceeds maximum supported expiration date") {
					t.Fatalf("reject: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			var ttl int
			if err := s.Query("SELECT ttl(v) FROM ks.t WHERE k = 1").Scan(&ttl); err != nil || ttl <= 0 {
				t.Fatalf("ttl(v) = %d, %v", ttl, err)
			}
		})
	}
}
