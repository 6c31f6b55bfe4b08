package dev.cumsum.transaction.mongo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on loopback in front of a server: it forwards both ways until
 * {@link #hang()}, then it keeps accepting connections and reading what arrives, and
 * never answers again, on old connections or new ones: a MongoDB that stopped answering
 * without closing anything.
 */
final class HangingProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final InetSocketAddress upstream;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean hung;

	HangingProxy(InetSocketAddress upstream) throws IOException {
		this.upstream = upstream;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().name("proxy-accept").start(this::accept);
	}

	int port() {
		return this.listener.getLocalPort();
	}

	void hang() {
		this.hung = true;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				this.sockets.add(client);
				if (this.hung) {
					Thread.ofVirtual().start(() -> pump(client, null));
					continue;
				}
				Socket server = new Socket(this.upstream.getAddress(), this.upstream.getPort());
				this.sockets.add(server);
				Thread.ofVirtual().start(() -> pump(client, server));
				Thread.ofVirtual().start(() -> pump(server, client));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	/** Copies from one side to the other while not hung; afterwards reads and drops. */
	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16384];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = (to != null) ? to.getOutputStream() : null;
			int n;
			while ((n = in.read(buffer)) >= 0) {
				if (!this.hung && out != null) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// a side closed
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
