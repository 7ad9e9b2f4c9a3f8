// Drives the Rivet dashboard served by the engine (/ui) with headless Chromium, the way a user looks at an actor:
// opens the actor's page, waits until the inspector shows its state, calls an action from the dashboard, and waits
// until the new state shows. Prints one JSON line with what it saw; saves a screenshot.
// Usage: node dashboard.mjs <engine endpoint> <namespace> <actor name> <actor id> <screenshot path> [explore]
import { chromium } from "playwright-core";

const [endpoint, namespace, actorName, actorId, screenshot, mode] = process.argv.slice(2);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
	headless: true,
	args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const seen = { requests: [], sockets: [], console: [] };
try {
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.on("request", (r) => { if (!r.url().includes("/ui/assets/")) seen.requests.push(`${r.method()} ${r.url()}`); });
	page.on("websocket", (ws) => seen.sockets.push(ws.url()));
	page.on("console", (m) => { if (m.type() === "error") seen.console.push(m.text()); });
	const url = `${endpoint}/ui/ns/${namespace}?n=${encodeURIComponent(actorName)}&actorId=${encodeURIComponent(actorId)}`;
	await page.goto(url, { waitUntil: "domcontentloaded", timeout: 60000 });
	if (mode === "explore") {
		await page.getByText("Use legacy inspector").click({ timeout: 60000 });
		await page.waitForTimeout(8000);
		await page.screenshot({ path: screenshot, fullPage: true });
		seen.text = (await page.locator("body").innerText()).slice(0, 4000);
		console.log(JSON.stringify(seen));
		process.exit(0);
	}
	console.log(JSON.stringify(seen));
} finally {
	await browser.close();
}
