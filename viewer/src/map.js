// The map, drawn on a canvas from the project's map asset (the /map group of a run file, or
// scenarios/maps/afpak_0p05.h5): province tints and outlines, districts where the asset has them,
// the Durand Line, crossings and cities. No tiles, nothing from the network.
// Plate carrée with the aspect of the map's mean latitude (as `analysis map` draws it).
import { decode } from "./api.js";
import { OTHER_LAND, PROVINCE_TINTS, SEA, css } from "./colours.js";

const COUNTRY_PK = 1;
const COUNTRY_AF = 2;
const PICK_RADIUS_PX = 8; // how near the pointer an attack must be to be picked

// Cell edges where `raster` changes between two cells for which `keep(a, b)` holds, as
// [x0, y0, x1, y1] in cell units (x east from lon0, y north from lat0).
function edges(raster, nx, ny, keep) {
  const out = [];
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const a = raster[iy * nx + ix];
      if (ix + 1 < nx) {
        const b = raster[iy * nx + ix + 1];
        if (a !== b && keep(a, b)) out.push([ix + 1, iy, ix + 1, iy + 1]);
      }
      if (iy + 1 < ny) {
        const b = raster[(iy + 1) * nx + ix];
        if (a !== b && keep(a, b)) out.push([ix, iy + 1, ix + 1, iy + 1]);
      }
    }
  }
  return out;
}

export function layer(mapData, name, ArrayType = Int16Array) {
  const text = mapData.layers[name];
  return text ? decode(text, ArrayType) : null;
}

// The largest place of each province first (so Peshawar and Quetta are named, not five Punjabi
// cities), then the next largest, up to `count`.
function namedCities(places, count) {
  const seen = new Set();
  const first = [];
  const rest = [];
  for (const p of places) (seen.has(p.province) ? rest : (seen.add(p.province), first)).push(p);
  return first.concat(rest).slice(0, count);
}

export class MapView {
  constructor(canvas, mapData, { onHover, onPick } = {}) {
    this.canvas = canvas;
    this.m = mapData;
    this.province = layer(mapData, "province");
    this.country = layer(mapData, "country");
    this.district = layer(mapData, "district");
    this.onHover = onHover;
    this.onPick = onPick;
    this.field = null;
    this.events = [];
    this.labels = [];
    this.provinceFill = null;
    const { nx, ny, dlat, dlon, lat0 } = mapData;
    const latMid = lat0 + (ny * dlat) / 2;
    this.aspect = (ny * dlat) / (nx * dlon * Math.cos((latMid * Math.PI) / 180));
    this.provinceEdges = this.province ? edges(this.province, nx, ny, () => true) : [];
    this.districtEdges = this.district ? edges(this.district, nx, ny, (a, b) => a >= 0 && b >= 0) : [];
    this.durandEdges = this.country ? edges(this.country, nx, ny, (a, b) =>
      (a === COUNTRY_PK && b === COUNTRY_AF) || (a === COUNTRY_AF && b === COUNTRY_PK)) : [];
    this.coastEdges = this.country ? edges(this.country, nx, ny, (a, b) => a === 0 || b === 0) : [];
    this.cities = namedCities(mapData.places, mapData.named_cities);
    this.resize();
    canvas.addEventListener("mousemove", (e) => this.onHover && this.onHover(this.pick(e), e));
    canvas.addEventListener("mouseleave", () => this.onHover && this.onHover(null));
    canvas.addEventListener("click", (e) => this.onPick && this.onPick(this.pick(e), e));
  }

  resize() {
    const width = Math.max(320, this.canvas.parentElement.clientWidth || 760);
    this.width = width;
    this.height = Math.round(width * this.aspect);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.dpr = dpr;
    this.baseImage = null;
  }

  // lon/lat to canvas pixels (CSS units), and back.
  x(lon) { return ((lon - this.m.lon0) / (this.m.nx * this.m.dlon)) * this.width; }
  y(lat) { return (1 - (lat - this.m.lat0) / (this.m.ny * this.m.dlat)) * this.height; }
  lon(x) { return this.m.lon0 + (x / this.width) * this.m.nx * this.m.dlon; }
  lat(y) { return this.m.lat0 + (1 - y / this.height) * this.m.ny * this.m.dlat; }

  // The province under a pixel (id into /map/provinces, -1 outside), for hover on the comparison map.
  provinceAt(px, py) {
    const ix = Math.floor((this.lon(px) - this.m.lon0) / this.m.dlon);
    const iy = Math.floor((this.lat(py) - this.m.lat0) / this.m.dlat);
    if (!this.province || ix < 0 || iy < 0 || ix >= this.m.nx || iy >= this.m.ny) return -1;
    return this.province[iy * this.m.nx + ix];
  }

  // Province tints (or a choropleth: provinceFill[id] = [r, g, b]) as one image of nx x ny cells.
  baseFill() {
    const { nx, ny } = this.m;
    const image = new ImageData(nx, ny);
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        const cell = iy * nx + ix;
        const row = ny - 1 - iy; // row 0 of the raster is the southernmost
        const id = this.province ? this.province[cell] : -1;
        const country = this.country ? this.country[cell] : 1;
        let rgb = country === 0 ? SEA : OTHER_LAND;
        if (id >= 0) rgb = (this.provinceFill && this.provinceFill[id]) || PROVINCE_TINTS[id % PROVINCE_TINTS.length];
        image.data.set([rgb[0], rgb[1], rgb[2], 255], (row * nx + ix) * 4);
      }
    }
    return image;
  }

  setProvinceFill(fill) { this.provinceFill = fill; this.baseImage = null; }
  setField(field) { this.field = field; } // {image: ImageData, extent: [lon0, lon1, lat0, lat1]} or null
  setEvents(events) { this.events = events; } // [{lon, lat, colour, r, row}]
  setLabels(labels) { this.labels = labels; } // [{lon, lat, text}]

  drawImage(ctx, image, extent) {
    const tmp = document.createElement("canvas");
    tmp.width = image.width;
    tmp.height = image.height;
    tmp.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    const [lon0, lon1, lat0, lat1] = extent;
    ctx.drawImage(tmp, this.x(lon0), this.y(lat1), this.x(lon1) - this.x(lon0), this.y(lat0) - this.y(lat1));
  }

  strokeEdges(ctx, list, colour, width, dash = []) {
    const sx = this.width / this.m.nx;
    const sy = this.height / this.m.ny;
    ctx.beginPath();
    for (const [x0, y0, x1, y1] of list) {
      ctx.moveTo(x0 * sx, this.height - y0 * sy);
      ctx.lineTo(x1 * sx, this.height - y1 * sy);
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  render() {
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    if (!this.baseImage) this.baseImage = this.baseFill();
    const m = this.m;
    this.drawImage(ctx, this.baseImage, [m.lon0, m.lon0 + m.nx * m.dlon, m.lat0, m.lat0 + m.ny * m.dlat]);
    if (this.field) {
      ctx.globalAlpha = 0.85;
      this.drawImage(ctx, this.field.image, this.field.extent);
      ctx.globalAlpha = 1;
    }
    this.strokeEdges(ctx, this.coastEdges, "#8a8a8a", 0.6);
    this.strokeEdges(ctx, this.districtEdges, "rgba(90,90,90,0.35)", 0.4);
    this.strokeEdges(ctx, this.provinceEdges, "#5a5a5a", 0.8);
    this.strokeEdges(ctx, this.durandEdges, "#b2182b", 2.2);
    for (const e of this.events) {
      ctx.beginPath();
      ctx.arc(this.x(e.lon), this.y(e.lat), e.r, 0, 2 * Math.PI);
      ctx.fillStyle = e.colour;
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 0.6;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
    if (this.selected) {
      ctx.beginPath();
      ctx.arc(this.x(this.selected.lon), this.y(this.selected.lat), this.selected.r + 3, 0, 2 * Math.PI);
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    for (const c of m.crossings) this.triangle(ctx, this.x(c.lon), this.y(c.lat));
    ctx.font = "11px sans-serif";
    for (const p of this.cities) {
      const px = this.x(p.lon);
      const py = this.y(p.lat);
      ctx.beginPath();
      ctx.arc(px, py, 2.6, 0, 2 * Math.PI);
      ctx.fillStyle = "#111";
      ctx.fill();
      this.halo(ctx, p.name, px + 4, py - 4);
    }
    ctx.font = "bold 11px sans-serif";
    for (const l of this.labels) this.halo(ctx, l.text, this.x(l.lon), this.y(l.lat), "center");
  }

  triangle(ctx, px, py) {
    ctx.beginPath();
    ctx.moveTo(px, py - 6);
    ctx.lineTo(px - 5, py + 4);
    ctx.lineTo(px + 5, py + 4);
    ctx.closePath();
    ctx.fillStyle = "#08519c";
    ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  halo(ctx, text, px, py, align = "left") {
    ctx.textAlign = align;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.strokeText(text, px, py);
    ctx.fillStyle = "#111";
    ctx.fillText(text, px, py);
    ctx.textAlign = "left";
  }

  // The drawn attack nearest the pointer (within PICK_RADIUS_PX of its circle), or null.
  pick(mouse) {
    const rect = this.canvas.getBoundingClientRect();
    const px = mouse.clientX - rect.left;
    const py = mouse.clientY - rect.top;
    let best = null;
    let bestDistance = Infinity;
    for (const e of this.events) {
      const d = Math.hypot(this.x(e.lon) - px, this.y(e.lat) - py) - e.r;
      if (d < bestDistance) { bestDistance = d; best = e; }
    }
    return bestDistance <= PICK_RADIUS_PX ? best : null;
  }
}

// The colour of a field value for the image of a frame: transparent at or below 0 and for NaN.
export function fieldImage(values, width, height, vmax, colour) {
  const image = new ImageData(width, height);
  for (let iy = 0; iy < height; iy++) {
    for (let ix = 0; ix < width; ix++) {
      const v = values[iy * width + ix];
      if (!(v > 0)) continue;
      const rgb = colour(v / vmax);
      image.data.set([rgb[0], rgb[1], rgb[2], 255], ((height - 1 - iy) * width + ix) * 4);
    }
  }
  return image;
}

export { css };
