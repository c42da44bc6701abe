// peer speaks containerd's ttrpc (Debian's golang-github-containerd-ttrpc-dev) to check that
// otklik interoperates with it in both directions:
//
//	peer client SOCKET   call our daemon as a ttrpc client and check the answers
//	peer server SOCKET   serve otklik.v1.Admin as a ttrpc server for our client
//	peer bench SOCKET [CALLS] [CONNECTIONS]   time Health with the Go client (benchmarks/rpc-latency)
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "bench" {
		calls, connections := benchArguments(os.Args[3:])
		runBench(os.Args[2], calls, connections)
		return
	}
	if len(os.Args) != 3 || (os.Args[1] != "client" && os.Args[1] != "server") {
		fmt.Fprintln(os.Stderr, "usage: peer client|server SOCKET | peer bench SOCKET [CALLS] [CONNECTIONS]")
		os.Exit(2)
	}
	if os.Args[1] == "client" {
		runClient(os.Args[2])
	} else {
		runServer(os.Args[2])
	}
}
