package cqlquery

import "testing"

func TestInsertSelectBasic(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c text, v int, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c, v) VALUES (1, 'a', 10)")
	f.exec("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", 1, "b", 20)
	f.exec("UPDATE t SET v = 30 WHERE k = 2 AND c = 'x'")
	f.expect("1 a 10 | 1 b 20", "SELECT * FROM t WHERE k = 1")
	f.expect("1 a 10 | 1 b 20 | 2 x 30", "SELECT * FROM t")
	f.expect("20", "SELECT v FROM t WHERE k = 1 AND c = 'b'")
	f.expect("2", "SELECT count(*) FROM t WHERE k = 1")
}
