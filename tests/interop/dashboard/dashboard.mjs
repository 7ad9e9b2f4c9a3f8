// Drives the Rivet dashboard served by the engine (/ui) with headless Chromium, the way a user looks at an actor:
// opens the actor's page, waits until the inspector shows its state, calls an action from the dashboard, and waits
// until the new state shows. Prints one JSON line with what it saw; saves a screenshot.
// Usage: node dashboard.mjs <engine endpoint> <namespace> <actor name> <actor id> <screenshot path> <action> <argument>
//        <count before> <count after> <id of a connection open to the actor>
import { chromium } from "playwright-core";

const [endpoint, namespace, actorName, actorId, screenshot, action, argument, before, after, connectionId] = process.argv.slice(2);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
	headless: true,
	args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const seen = { sockets: [], errors: [] };
try {
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.on("websocket", (ws) => seen.sockets.push(ws.url()));
	page.on("console", (m) => { if (m.type() === "error") seen.errors.push(m.text()); });
	const url = `${endpoint}/ui/ns/${namespace}?n=${encodeURIComponent(actorName)}&actorId=${encodeURIComponent(actorId)}`;
	await page.goto(url, { waitUntil: "domcontentloaded", timeout: 60000 });
	const body = page.locator("body");
	const waitForText = async (pattern, what) => {
		const deadline = Date.now() + 60000;
		while (Date.now() < deadline) {
			const text = await body.innerText();
			if (pattern.test(text)) return text;
			await page.waitForTimeout(250);
		}
		await page.screenshot({ path: screenshot.replace(/\.png$/, "-failed.png") });
		throw new Error(`waited 60 s for ${what}; the page shows:\n${(await body.innerText()).slice(0, 3000)}`);
	};
	// The new inspector UI is a bundle RivetKit's native core serves from the actor; the legacy inspector is the
	// dashboard's own, over the inspector WebSocket, which the .NET runtime serves.
	await page.getByText("Use legacy inspector").click({ timeout: 60000 });
	seen.stateBefore = await waitForText(new RegExp(`"count": ${before}\\b`), "the actor's state in the State tab");
	await page.getByText("Connections", { exact: true }).click();
	seen.connectionsTab = await waitForText(new RegExp(connectionId), "the open connection in the Connections tab");
	await page.getByText("Console", { exact: true }).click();
	// The console's RPC buttons insert `actor.<name>(` into its editor (its panel header overlaps them: click in the DOM).
	await page.getByText(`actor.${action}(...)`).waitFor({ timeout: 60000 });
	await page.getByText(`actor.${action}(...)`).evaluate((el) => el.closest("button").click());
	await page.locator(".cm-content").last().evaluate((el) => el.focus());
	await page.keyboard.press("End");
	await page.keyboard.type(`${argument})`);
	await page.keyboard.press("Enter");
	seen.consoleTab = await waitForText(new RegExp(`\\b${after}\\b`), "the action's result in the Console tab");
	await page.getByText("State", { exact: true }).click();
	seen.stateAfter = await waitForText(new RegExp(`"count": ${after}\\b`), "the new state in the State tab");
	// For the picture only: in headless Chromium the State tab's JSON editor gets a 0 px high flex box (its text is
	// in the page, as asserted above, but clipped), so give it a height before the screenshot.
	await page.addStyleTag({ content: ".cm-editor { min-height: 240px; }" });
	await page.waitForTimeout(500);
	await page.screenshot({ path: screenshot });

	console.log(JSON.stringify(seen));
} finally {
	await browser.close();
}
