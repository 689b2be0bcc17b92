// One picture per industry card; an industry added to templates/ without one gets the shop icon.
import {
  BookOutlined,
  CarOutlined,
  CoffeeOutlined,
  HomeOutlined,
  MedicineBoxOutlined,
  ScissorOutlined,
  ShopOutlined,
  ShoppingOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import type { ComponentType } from 'react';

const icons: Readonly<Record<string, ComponentType>> = {
  retail: ShoppingOutlined,
  catering: CoffeeOutlined,
  clinic: MedicineBoxOutlined,
  education: BookOutlined,
  hotel: HomeOutlined,
  logistics: CarOutlined,
  beauty: ScissorOutlined,
  'appliance-repair': ToolOutlined,
};

export function IndustryIcon({ id }: { id: string }) {
  const Icon = icons[id] ?? ShopOutlined;
  return <Icon />;
}
