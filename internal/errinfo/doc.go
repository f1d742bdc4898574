// Package errinfo holds what the errors of cassa, its Thrift pool and its
// CQL session share: the " (op on host)" part of their messages, and the
// test for a failure of the connection itself rather than an answer, and
// sentinels that also match the family every package shares.
//
//	fmt.Sprintf("pool: transport error%s: %v", errinfo.Where(op, host), err)
//	if errinfo.IsConnection(err) { /* mark the host down, retry elsewhere */ }
package errinfo
