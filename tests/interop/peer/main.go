// peer speaks containerd's ttrpc (Debian's golang-github-containerd-ttrpc-dev) to check that
// otklik interoperates with it in both directions:
//
//	peer client SOCKET   call our daemon as a ttrpc client and check the answers
//	peer server SOCKET   serve otklik.v1.Admin as a ttrpc server for our client
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "client" && os.Args[1] != "server") {
		fmt.Fprintln(os.Stderr, "usage: peer client|server SOCKET")
		os.Exit(2)
	}
	if os.Args[1] == "client" {
		runClient(os.Args[2])
	} else {
		runServer(os.Args[2])
	}
}
