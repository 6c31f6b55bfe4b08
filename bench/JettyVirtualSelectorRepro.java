import java.util.concurrent.Executors;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Jetty alone (no Spring, no code of this project): a handler that reads the body and writes a small
 * answer on a virtual thread per request, with the selector on a virtual thread ({@code vtp}: Jetty's
 * VirtualThreadPool, what Spring Boot 4.1 configures) or on a platform thread ({@code qtp-vt}). Run it
 * with {@code -XX:+UseSerialGC -Xmn32m -Xlog:gc*:file=gc.log} under load and compare the old
 * generation's growth per young collection (docs/benchmarks.md, "Memory of a pod"):
 *
 * <pre>java -cp JETTY_JARS bench/JettyVirtualSelectorRepro.java vtp|qtp-vt PORT</pre>
 *
 * JETTY_JARS: jetty-server, jetty-http, jetty-io, jetty-util (12.1.x) and slf4j-api.
 */
public class JettyVirtualSelectorRepro {

	public static void main(String[] args) throws Exception {
		Server server;
		if (args[0].equals("vtp")) {
			server = new Server(new VirtualThreadPool());
		}
		else {
			QueuedThreadPool pool = new QueuedThreadPool(16, 4);
			pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
			server = new Server(pool);
		}
		ServerConnector connector = new ServerConnector(server);
		connector.setHost("127.0.0.1");
		connector.setPort(Integer.parseInt(args[1]));
		server.addConnector(connector);
		server.setHandler(new Handler.Abstract() {
			@Override
			public boolean handle(Request request, Response response, Callback callback) throws Exception {
				String body = Content.Source.asString(request);
				response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
				try (Blocker.Callback written = Blocker.callback()) {
					response.write(true, BufferUtil.toBuffer("{\"length\":" + body.length() + "}"), written);
					written.block();
				}
				callback.succeeded();
				return true;
			}
		});
		server.start();
		System.out.println("started " + args[0] + " on 127.0.0.1:" + args[1]);
		server.join();
	}

}
